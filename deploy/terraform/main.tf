data "google_project" "this" {
  project_id = var.project_id
}

data "google_compute_network" "vpc" {
  name = var.network
}

locals {
  apis = toset([
    "artifactregistry.googleapis.com",
    "billingbudgets.googleapis.com",
    "cloudbuild.googleapis.com",
    "compute.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "redis.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])
  public_host = trimprefix(var.public_url, "https://")
}

resource "google_project_service" "apis" {
  for_each = local.apis
  service  = each.value
  # Turning an API off on destroy would break anything else in the project that uses it.
  disable_on_destroy = false
}

# Runtime identity of the service: reads its three secrets and writes share records, nothing more.
resource "google_service_account" "run" {
  account_id   = "${var.service_name}-run"
  display_name = "nezame Cloud Run runtime"
}

# Identity Cloud Build runs as (gcloud builds submit --service-account=..., or the trigger's).
resource "google_service_account" "deployer" {
  account_id   = "${var.service_name}-deployer"
  display_name = "nezame Cloud Build deployer"
}

resource "google_project_iam_member" "deployer" {
  # builds.builder: read the uploaded source, write logs; run.developer: deploy revisions.
  for_each = toset([
    "roles/cloudbuild.builds.builder",
    "roles/run.developer",
    "roles/logging.logWriter",
  ])
  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

# Deploying a revision that runs as the runtime account requires actAs on it.
resource "google_service_account_iam_member" "deployer_acts_as_run" {
  service_account_id = google_service_account.run.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_artifact_registry_repository" "images" {
  location      = var.region
  repository_id = var.service_name
  format        = "DOCKER"
  description   = "nezame container images"

  # Keep the 20 newest images for rollback; delete the rest so storage does not grow forever.
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 20
    }
  }
  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "2592000s"
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_artifact_registry_repository_iam_member" "deployer_writes_images" {
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.deployer.email}"
}

# Share records and their owners' index (SHARE_STORE=gs://<bucket>/shares); cards are rendered
# on demand, not stored. Private: the service serves them.
resource "google_storage_bucket" "shares" {
  name                        = "${var.project_id}-${var.service_name}-shares"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # An expiring share's objects carry their expiry as customTime. The service already answers 404
  # after it and deletes what it meets; this removes the ones nobody asks for again, so an
  # expired share does not stay stored (and billed) for ever.
  lifecycle_rule {
    condition {
      days_since_custom_time = 1
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket_iam_member" "run_writes_shares" {
  bucket = google_storage_bucket.shares.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.run.email}"
}
