// Package gcs is a small Cloud Storage client over the JSON API and net/http: upload, download,
// delete and list objects, nothing else. It replaces cloud.google.com/go/storage, whose gRPC,
// xDS and protobuf dependencies were over a third of the binary for four HTTP calls.
package gcs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// DefaultEndpoint is the public Cloud Storage API.
const DefaultEndpoint = "https://storage.googleapis.com"

// DefaultTimeout bounds each call (token fetch included) when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// ErrNotFound is returned when the object (or, for Delete, nothing to delete) does not exist.
var ErrNotFound = errors.New("gcs: object not found")

// TokenSource gives the OAuth access token sent with every call.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// Options configure a Client.
type Options struct {
	// Endpoint is the API's base URL; empty means DefaultEndpoint. Tests point it at a local
	// fake-gcs-server.
	Endpoint string
	// HTTPClient sends the requests; nil means a client without its own timeout (each call has
	// a context deadline instead).
	HTTPClient *http.Client
	// Tokens authorizes calls; nil sends no Authorization header (emulators).
	Tokens TokenSource
	// Timeout bounds every call; zero means DefaultTimeout.
	Timeout time.Duration
}

// Client talks to one Cloud Storage endpoint. It is safe for concurrent use.
type Client struct {
	base    string
	http    *http.Client
	tokens  TokenSource
	timeout time.Duration
}

// New returns a Client.
func New(o Options) *Client {
	c := &Client{base: strings.TrimRight(o.Endpoint, "/"), http: o.HTTPClient, tokens: o.Tokens, timeout: o.Timeout}
	if c.base == "" {
		c.base = DefaultEndpoint
	}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	return c
}

// Object is an object's name and the attributes nezame uses.
type Object struct {
	Name string `json:"name"`
	// CustomTime is the object's custom time (zero if unset); a bucket lifecycle rule on
	// daysSinceCustomTime can delete objects once it has passed.
	CustomTime time.Time `json:"customTime"`
	// Metadata is the object's user metadata.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// PutOptions are the attributes of an uploaded object.
type PutOptions struct {
	ContentType string
	CustomTime  time.Time
	Metadata    map[string]string
}

// Put uploads data as bucket/name in one multipart request (metadata and content together),
// replacing any object of that name.
func (c *Client) Put(ctx context.Context, bucket, name string, data []byte, o PutOptions) error {
	meta := map[string]any{"name": name}
	if o.ContentType != "" {
		meta["contentType"] = o.ContentType
	}
	if !o.CustomTime.IsZero() {
		meta["customTime"] = o.CustomTime.UTC().Format(time.RFC3339Nano)
	}
	if len(o.Metadata) > 0 {
		meta["metadata"] = o.Metadata
	}
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("gcs put %s: %w", name, err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json; charset=UTF-8"}})
	part.Write(metaJSON)
	ct := o.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	part, _ = mw.CreatePart(textproto.MIMEHeader{"Content-Type": {ct}})
	part.Write(data)
	mw.Close()

	u := c.base + "/upload/storage/v1/b/" + url.PathEscape(bucket) + "/o?uploadType=multipart&fields=name"
	resp, err := c.do(ctx, http.MethodPost, u, "multipart/related; boundary="+mw.Boundary(), body.Bytes())
	if err != nil {
		return fmt.Errorf("gcs put %s: %w", name, err)
	}
	defer drain(resp)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("gcs put %s: %w", name, statusError(resp))
	}
	return nil
}

// Get downloads bucket/name, refusing objects larger than maxBytes.
func (c *Client) Get(ctx context.Context, bucket, name string, maxBytes int64) ([]byte, error) {
	u := c.objectURL(bucket, name) + "?alt=media"
	resp, err := c.do(ctx, http.MethodGet, u, "", nil)
	if err != nil {
		return nil, fmt.Errorf("gcs get %s: %w", name, err)
	}
	defer drain(resp)
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, ErrNotFound
	case resp.StatusCode/100 != 2:
		return nil, fmt.Errorf("gcs get %s: %w", name, statusError(resp))
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("gcs get %s: %w", name, err)
	}
	if int64(len(b)) > maxBytes {
		return nil, fmt.Errorf("gcs get %s: larger than %d bytes", name, maxBytes)
	}
	return b, nil
}

// Delete removes bucket/name; ErrNotFound when there was none.
func (c *Client) Delete(ctx context.Context, bucket, name string) error {
	resp, err := c.do(ctx, http.MethodDelete, c.objectURL(bucket, name), "", nil)
	if err != nil {
		return fmt.Errorf("gcs delete %s: %w", name, err)
	}
	defer drain(resp)
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return ErrNotFound
	case resp.StatusCode/100 != 2:
		return fmt.Errorf("gcs delete %s: %w", name, statusError(resp))
	}
	return nil
}

// maxListPages bounds a listing (1,000 objects a page), so a runaway prefix cannot hold a
// request for ever.
const maxListPages = 20

// List returns the objects whose names start with prefix, in name order.
func (c *Client) List(ctx context.Context, bucket, prefix string) ([]Object, error) {
	var out []Object
	token := ""
	for range maxListPages {
		q := url.Values{"prefix": {prefix}, "fields": {"items(name,customTime,metadata),nextPageToken"}}
		if token != "" {
			q.Set("pageToken", token)
		}
		u := c.base + "/storage/v1/b/" + url.PathEscape(bucket) + "/o?" + q.Encode()
		page, err := c.listPage(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("gcs list %s: %w", prefix, err)
		}
		out = append(out, page.Items...)
		if page.NextPageToken == "" {
			return out, nil
		}
		token = page.NextPageToken
	}
	return nil, fmt.Errorf("gcs list %s: more than %d pages", prefix, maxListPages)
}

type listResponse struct {
	Items         []Object `json:"items"`
	NextPageToken string   `json:"nextPageToken"`
}

func (c *Client) listPage(ctx context.Context, u string) (listResponse, error) {
	resp, err := c.do(ctx, http.MethodGet, u, "", nil)
	if err != nil {
		return listResponse{}, err
	}
	defer drain(resp)
	if resp.StatusCode/100 != 2 {
		return listResponse{}, statusError(resp)
	}
	var page listResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&page); err != nil {
		return listResponse{}, fmt.Errorf("decode listing: %w", err)
	}
	return page, nil
}

func (c *Client) objectURL(bucket, name string) string {
	return c.base + "/storage/v1/b/" + url.PathEscape(bucket) + "/o/" + url.PathEscape(name)
}

// do sends one request under the client's timeout. The response body stays readable until the
// caller drains it; the deadline still applies to reading it.
func (c *Client) do(ctx context.Context, method, u, contentType string, body []byte) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		cancel()
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.tokens != nil {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("access token: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// drain reads a little of what is left so the connection can be reused, then closes.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// StatusError is a non-2xx answer from the API.
type StatusError struct {
	Code    int
	Message string
}

func (e *StatusError) Error() string { return fmt.Sprintf("status %d: %s", e.Code, e.Message) }

func statusError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	var body struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	msg := strings.TrimSpace(string(b))
	if json.Unmarshal(b, &body) == nil && body.Error.Message != "" {
		msg = body.Error.Message
	}
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return &StatusError{Code: resp.StatusCode, Message: msg}
}
