# The nezame service. Settings and the reasons for them: deploy/README.md "Settings".
# Mirrored in deploy/cloudrun/service.yaml and cloudbuild.yaml; `go test ./deploy/` checks that
# every env var config.Vars() reads is set here and that max instances agree.
resource "google_cloud_run_v2_service" "app" {
  name                = var.service_name
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = true

  template {
    service_account                  = google_service_account.run.email
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    max_instance_request_concurrency = 80
    timeout                          = "60s"
    # A browser's requests go to the same instance when possible: the polls of a first view
    # (202 fetching) land where its background read of Twitter runs (see cpu_idle below).
    session_affinity = true

    scaling {
      min_instance_count = 0
      max_instance_count = var.max_instances
    }

    # Direct VPC egress: instances get IPs in the subnet and reach Memorystore's private IP;
    # public destinations (Twitter, GCS) keep using Cloud Run's own egress.
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = var.network
        subnetwork = var.subnetwork
      }
    }

    containers {
      name  = "nezame"
      image = var.image

      ports {
        name           = "http1"
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
        # Request-based billing: CPU is allocated (and billed) only while requests are in flight.
        cpu_idle          = true
        startup_cpu_boost = true
      }

      env {
        name  = "PUBLIC_URL"
        value = var.public_url
      }
      env {
        name  = "REDIS_URL"
        value = "redis://${google_redis_instance.main.host}:${google_redis_instance.main.port}/0"
      }
      env {
        name  = "SHARE_STORE"
        value = "gs://${google_storage_bucket.shares.name}/shares"
      }
      env {
        name  = "TWITTER_API_VERSION"
        value = "1.1"
      }
      env {
        name  = "TWITTER_APP_DAILY_QUOTA"
        value = tostring(var.twitter_app_daily_quota)
      }
      env {
        name  = "CACHE_TTL"
        value = "5m"
      }
      env {
        name  = "WINDOW_DAYS"
        value = "28"
      }
      env {
        name  = "QUEUE_CAPACITY"
        value = tostring(var.queue_capacity)
      }
      env {
        name  = "LOG_FORMAT"
        value = "json"
      }
      # Read by the Go runtime, not config: the GC works harder near 450 MiB instead of the
      # instance being killed at 512 MiB.
      env {
        name  = "GOMEMLIMIT"
        value = "450MiB"
      }
      # Heap grows to 1.5x the live data between collections instead of 2x (deploy/README.md).
      env {
        name  = "GOGC"
        value = "50"
      }
      # Not set by Cloud Run; qualifies trace ids so request logs link to Cloud Trace.
      env {
        name  = "GOOGLE_CLOUD_PROJECT"
        value = var.project_id
      }
      env {
        name = "SESSION_SECRET"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.app["SESSION_SECRET"].secret_id
            version = "latest"
          }
        }
      }
      env {
        name = "TWITTER_CONSUMER_KEY"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.app["TWITTER_CONSUMER_KEY"].secret_id
            version = "latest"
          }
        }
      }
      env {
        name = "TWITTER_CONSUMER_SECRET"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.app["TWITTER_CONSUMER_SECRET"].secret_id
            version = "latest"
          }
        }
      }

      # Ready only when Redis answers (see service.yaml for why).
      startup_probe {
        period_seconds    = 1
        timeout_seconds   = 1
        failure_threshold = 30
        http_get {
          path = "/readyz"
          port = 8080
        }
      }

      # Touches nothing external: a Redis blip must not restart healthy instances.
      liveness_probe {
        period_seconds    = 10
        timeout_seconds   = 1
        failure_threshold = 3
        http_get {
          path = "/healthz"
          port = 8080
        }
      }
    }
  }

  traffic {
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }

  lifecycle {
    # Releases are rolled out by cloudbuild.yaml; Terraform owns everything but the image.
    ignore_changes = [
      template[0].containers[0].image,
      client,
      client_version,
    ]
  }

  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_iam_member.run_reads,
  ]
}

# Public web app: anyone may invoke it; sign-in is the app's own (Twitter OAuth).
resource "google_cloud_run_v2_service_iam_member" "public" {
  name     = google_cloud_run_v2_service.app.name
  location = google_cloud_run_v2_service.app.location
  role     = "roles/run.invoker"
  member   = "allUsers"
}
