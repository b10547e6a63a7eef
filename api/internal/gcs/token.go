package gcs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// MetadataTokenURL is where Cloud Run (and every Google Cloud runtime) hands out the service
// account's access token.
const MetadataTokenURL = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"

// tokenSlack renews a token this long before it expires, so no call leaves with a token that
// dies in flight.
const tokenSlack = 2 * time.Minute

// MetadataTokens fetches the service account's token from the metadata server and reuses it
// until shortly before it expires. Concurrent callers share one fetch.
type MetadataTokens struct {
	url  string
	http *http.Client
	now  func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

// NewMetadataTokens returns a token source on the metadata server at url (MetadataTokenURL in
// production). Each fetch is bounded by the caller's context and by the client's timeout.
func NewMetadataTokens(url string, client *http.Client, now func() time.Time) *MetadataTokens {
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	return &MetadataTokens{url: url, http: client, now: now}
}

// Token returns a valid access token.
func (m *MetadataTokens) Token(ctx context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.token != "" && m.now().Before(m.expires.Add(-tokenSlack)) {
		return m.token, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.url, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Metadata-Flavor", "Google")
	resp, err := m.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("metadata token: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("metadata token: %w", statusError(resp))
	}
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body); err != nil {
		return "", fmt.Errorf("metadata token: decode: %w", err)
	}
	if body.AccessToken == "" {
		return "", errors.New("metadata token: empty access_token")
	}
	m.token = body.AccessToken
	m.expires = m.now().Add(time.Duration(body.ExpiresIn) * time.Second)
	return m.token, nil
}
