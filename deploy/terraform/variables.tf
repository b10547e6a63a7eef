variable "project_id" {
  description = "Google Cloud project that runs nezame."
  type        = string
}

variable "region" {
  description = "Region for Cloud Run, Memorystore and Artifact Registry (users are mostly in Japan)."
  type        = string
  default     = "asia-northeast1"
}

variable "service_name" {
  description = "Cloud Run service name; also the prefix of most resource names."
  type        = string
  default     = "nezame"
}

variable "image" {
  description = "Container image for the first apply, e.g. asia-northeast1-docker.pkg.dev/PROJECT/nezame/nezame:BUILD_ID. Later releases come from cloudbuild.yaml; Terraform ignores image changes."
  type        = string
}

variable "public_url" {
  description = "External https base URL (OAuth callback, share links, uptime check host)."
  type        = string

  validation {
    condition     = can(regex("^https://[^/]+$", var.public_url))
    error_message = "public_url must look like https://nezame.example (https, no path, no trailing slash)."
  }
}

variable "network" {
  description = "VPC network for Direct VPC egress and Memorystore."
  type        = string
  default     = "default"
}

variable "subnetwork" {
  description = "Subnet in var.region that Cloud Run instances take IPs from (at least a /26 for 10 instances)."
  type        = string
  default     = "default"
}

variable "max_instances" {
  description = "The cost cap: Cloud Run never runs more instances than this. Keep equal to service.yaml and cloudbuild.yaml (tested)."
  type        = number
  default     = 10
}

variable "twitter_app_daily_quota" {
  description = "TWITTER_APP_DAILY_QUOTA: app-wide timeline requests per 24 h; the budget alert fires below 10 % of it."
  type        = number
  default     = 100000
}

variable "queue_capacity" {
  description = "QUEUE_CAPACITY: Twitter fetches in flight across all instances before users queue."
  type        = number
  default     = 32
}

variable "alert_email" {
  description = "Where alerts and budget notifications go."
  type        = string
}

variable "billing_account" {
  description = "Billing account id (XXXXXX-XXXXXX-XXXXXX) for the budget."
  type        = string
}

variable "monthly_budget" {
  description = "Monthly budget in budget_currency; alerts at 50/90/100 % forecast and 50/90/100/150 % actual. The fixed floor is about $48 (Memorystore STANDARD_HA, see COSTS.md), so the default leaves the 50 % forecast alert ($75) quiet in an ordinary month and lets it speak when a trend day or a runaway costs more."
  type        = number
  default     = 150
}

variable "budget_currency" {
  description = "Currency of the billing account."
  type        = string
  default     = "USD"
}

variable "latency_p95_threshold_ms" {
  description = "p95 request latency (ms) above which the latency alert fires."
  type        = number
  default     = 2000
}
