# Liveness from outside Google's network: GET https://<public host>/healthz every minute from
# several regions. /healthz touches nothing, so a pass means "routing + an instance answer".
resource "google_monitoring_uptime_check_config" "healthz" {
  display_name = "nezame /healthz"
  timeout      = "10s"
  period       = "60s"

  http_check {
    path           = "/healthz"
    port           = 443
    use_ssl        = true
    validate_ssl   = true
    request_method = "GET"
    accepted_response_status_codes {
      status_value = 200
    }
  }

  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project_id
      host       = local.public_host
    }
  }

  content_matchers {
    content = "\"status\":\"ok\""
    matcher = "CONTAINS_STRING"
  }

  depends_on = [google_project_service.apis]
}
