// Package deploy holds nezame's deployment artifacts (deploy/cloudrun, deploy/terraform, and the
// repository's Dockerfile and cloudbuild.yaml) and the offline tests that check them.
//
// No Docker engine, gcloud or Terraform provider is needed: the tests parse the Dockerfile with
// BuildKit's parser, decode the YAML strictly into the Cloud Build and Cloud Run API types, read
// the Terraform with the HCL parser, and check that every environment variable the service reads
// (config.Vars) is set, or deliberately left at its default, in all three deployment paths.
package deploy
