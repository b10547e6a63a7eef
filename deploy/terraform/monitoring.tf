# Alerts. Each one's meaning and first response are in deploy/README.md "Alerts" and
# deploy/RUNBOOK.md. Thresholds are deliberately few and loud: every alert here wants a human.

locals {
  run_filter   = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${var.service_name}\""
  runbook_link = "See deploy/RUNBOOK.md in the nezame repository."
}

resource "google_monitoring_notification_channel" "email" {
  display_name = "nezame on-call email"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }

  depends_on = [google_project_service.apis]
}

# More than 2 % of requests answered 5xx for 5 minutes. nezame's contract is "4xx for bad input,
# 202/429 when Twitter's budget is spent", so any sustained 5xx is a bug or a dead dependency.
resource "google_monitoring_alert_policy" "error_ratio" {
  display_name          = "nezame: 5xx ratio > 2 %"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]

  conditions {
    display_name = "5xx / all requests > 0.02 for 5 min"
    condition_threshold {
      filter             = "${local.run_filter} AND metric.type = \"run.googleapis.com/request_count\" AND metric.labels.response_code_class = \"5xx\""
      denominator_filter = "${local.run_filter} AND metric.type = \"run.googleapis.com/request_count\""
      comparison         = "COMPARISON_GT"
      threshold_value    = 0.02
      duration           = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
      denominator_aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    content   = "Sustained 5xx. Check /readyz and Redis (Memorystore) first, then the latest revision's logs; roll back with `gcloud run services update-traffic ${var.service_name} --to-revisions=PREVIOUS=100`. ${local.runbook_link}"
    mime_type = "text/markdown"
  }
}

# p95 latency over the threshold for 10 minutes: instances saturated (CPU), Redis slow, or
# Twitter slow on cache misses.
resource "google_monitoring_alert_policy" "latency_p95" {
  display_name          = "nezame: p95 latency > ${var.latency_p95_threshold_ms} ms"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]

  conditions {
    display_name = "request_latencies p95"
    condition_threshold {
      filter          = "${local.run_filter} AND metric.type = \"run.googleapis.com/request_latencies\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.latency_p95_threshold_ms
      duration        = "600s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_PERCENTILE_95"
      }
    }
  }

  documentation {
    content   = "Slow responses. Look at instance count (at the cap?), CPU utilisation, Redis latency and the Twitter fetch latency histogram on /metrics. ${local.runbook_link}"
    mime_type = "text/markdown"
  }
}

# Active instances at >= 80 % of the cap for 5 minutes: the cost cap is about to become the
# bottleneck. Raising it is a decision (cost), not a reflex; see the runbook.
resource "google_monitoring_alert_policy" "instances_near_cap" {
  display_name          = "nezame: instances near the max-instances cap"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]

  conditions {
    display_name = "active instances >= ${floor(var.max_instances * 0.8)} of ${var.max_instances}"
    condition_threshold {
      filter          = "${local.run_filter} AND metric.type = \"run.googleapis.com/container/instance_count\" AND metric.labels.state = \"active\""
      comparison      = "COMPARISON_GT"
      threshold_value = floor(var.max_instances * 0.8) - 0.5
      duration        = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    content   = "Traffic spike. Requests beyond the cap queue at Cloud Run and then fail with 429. Follow deploy/RUNBOOK.md \"Spike\": check the Twitter budget before raising max instances."
    mime_type = "text/markdown"
  }
}

# Every running instance logs jsonPayload.twitterBudgetRemaining once a minute (metrics.Watch). A distribution
# with 100 linear buckets of 1 % of the quota makes the 10 % threshold exact to one bucket.
resource "google_logging_metric" "twitter_budget_remaining" {
  name   = "${var.service_name}/twitter_budget_remaining"
  filter = "${local.run_filter} AND jsonPayload.twitterBudgetRemaining >= 0"

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "DISTRIBUTION"
    unit         = "1"
    display_name = "nezame Twitter app budget remaining"
  }

  value_extractor = "EXTRACT(jsonPayload.twitterBudgetRemaining)"

  bucket_options {
    linear_buckets {
      num_finite_buckets = 100
      width              = var.twitter_app_daily_quota / 100
      offset             = 0
    }
  }
}

resource "google_monitoring_alert_policy" "twitter_budget_low" {
  display_name          = "nezame: Twitter budget below 10 %"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]

  conditions {
    display_name = "twitterBudgetRemaining < 10 % of TWITTER_APP_DAILY_QUOTA"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.twitter_budget_remaining.name}\""
      comparison      = "COMPARISON_LT"
      threshold_value = var.twitter_app_daily_quota * 0.1
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_PERCENTILE_05"
        cross_series_reducer = "REDUCE_MIN"
      }
    }
  }

  documentation {
    content   = "Less than 10 % of the app-wide Twitter budget is left for today. New analyses will soon wait in the waiting room (202 queued). Raising TWITTER_APP_DAILY_QUOTA only helps if the Twitter plan allows it; see deploy/RUNBOOK.md and deploy/COSTS.md (X API v2 is billed per post read)."
    mime_type = "text/markdown"
  }
}

# Memorystore memory usage ratio > 80 % for 10 minutes: eviction (volatile-lru) is near, and
# evicted sessions sign people out.
resource "google_monitoring_alert_policy" "redis_memory" {
  display_name          = "nezame: Redis memory > 80 %"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]

  conditions {
    display_name = "redis memory usage_ratio > 0.8"
    condition_threshold {
      filter          = "resource.type = \"redis_instance\" AND resource.labels.instance_id = \"${google_redis_instance.main.id}\" AND metric.type = \"redis.googleapis.com/stats/memory/usage_ratio\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0.8
      duration        = "600s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    content   = "Redis is filling up. Lower CACHE_TTL for quick relief. Resizing memory_size_gb in deploy/terraform/redis.tf keeps the data on STANDARD_HA but fails over once (seconds of 503s): prefer a quiet hour, or before a planned event. ${local.runbook_link}"
    mime_type = "text/markdown"
  }
}

# The outside-in check fails from more than one region: users cannot reach the service.
resource "google_monitoring_alert_policy" "uptime" {
  display_name          = "nezame: /healthz uptime check failing"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]

  conditions {
    display_name = "uptime check failed in > 1 region"
    condition_threshold {
      filter          = "resource.type = \"uptime_url\" AND metric.type = \"monitoring.googleapis.com/uptime_check/check_passed\" AND metric.labels.check_id = \"${google_monitoring_uptime_check_config.healthz.uptime_check_id}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 1
      duration        = "120s"
      aggregations {
        alignment_period     = "120s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_COUNT_FALSE"
        group_by_fields      = ["resource.label.host"]
      }
    }
  }

  documentation {
    content   = "The service is unreachable from outside. Check the Cloud Run service status, the latest revision (did a deploy fail its startup probe?), and the domain mapping / certificate. ${local.runbook_link}"
    mime_type = "text/markdown"
  }
}

# A panic (logged CRITICAL with a message starting "panic"), a Go runtime crash on stderr, or an
# instance killed for exceeding 512 MiB. Any of these is a bug to fix, not load to absorb.
resource "google_monitoring_alert_policy" "crash_in_logs" {
  display_name          = "nezame: panic or out-of-memory in logs"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]

  conditions {
    display_name = "panic / fatal error / memory limit exceeded"
    condition_matched_log {
      filter = join(" AND ", [
        local.run_filter,
        "(${join(" OR ", [
          "(severity = CRITICAL AND jsonPayload.message =~ \"^panic\")",
          "textPayload =~ \"^(panic|fatal error): \"",
          "textPayload =~ \"Memory limit of .* exceeded\"",
        ])})",
      ])
    }
  }

  alert_strategy {
    notification_rate_limit {
      period = "300s"
    }
    auto_close = "1800s"
  }

  documentation {
    content   = "An instance panicked or ran out of memory. Open the matching log entry (it carries the trace), find the request, and fix the bug; an OOM under load means a per-request allocation grew (RSS target is 128 MiB at 500 users). ${local.runbook_link}"
    mime_type = "text/markdown"
  }
}
