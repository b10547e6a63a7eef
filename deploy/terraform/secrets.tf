# Secret containers only. Values are added out of band so they never enter Terraform state:
#   printf '%s' "$(openssl rand -base64 48)" | gcloud secrets versions add nezame-session-secret --data-file=-
locals {
  secrets = {
    SESSION_SECRET          = "${var.service_name}-session-secret"
    TWITTER_CONSUMER_KEY    = "${var.service_name}-twitter-consumer-key"
    TWITTER_CONSUMER_SECRET = "${var.service_name}-twitter-consumer-secret"
  }
}

resource "google_secret_manager_secret" "app" {
  for_each  = local.secrets
  secret_id = each.value

  replication {
    auto {}
  }

  labels = {
    app = var.service_name
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "run_reads" {
  for_each  = google_secret_manager_secret.app
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.run.email}"
}
