terraform {
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # Pinned to one major version; `terraform init` writes the exact build into
      # .terraform.lock.hcl, which is committed.
      version = "~> 6.0"
    }
  }

  # State lives in a GCS bucket created once by hand:
  #   terraform init -backend-config="bucket=<project>-tfstate" -backend-config="prefix=nezame"
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region
  # Billing budgets are called with the project's quota, not the caller's ADC project.
  user_project_override = true
  billing_project       = var.project_id
}
