output "service_url" {
  description = "Cloud Run URL (map var.public_url's domain to it)."
  value       = google_cloud_run_v2_service.app.uri
}

output "redis_url" {
  description = "REDIS_URL for cloudbuild.yaml's _REDIS_URL substitution."
  value       = "redis://${google_redis_instance.main.host}:${google_redis_instance.main.port}/0"
}

output "image_repository" {
  description = "Where cloudbuild.yaml pushes images."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}/nezame"
}

output "runtime_service_account" {
  description = "Identity of the running service."
  value       = google_service_account.run.email
}

output "deployer_service_account" {
  description = "Identity for gcloud builds submit --service-account / the build trigger."
  value       = google_service_account.deployer.id
}

output "share_bucket" {
  description = "Bucket behind SHARE_STORE."
  value       = google_storage_bucket.shares.name
}
