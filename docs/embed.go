// Package docs embeds the project's documents the service serves: the OpenAPI description of its
// HTTP contract (openapi.yaml), at GET /api/openapi.yaml.
package docs

import _ "embed"

// OpenAPI is docs/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
