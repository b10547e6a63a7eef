// Package emulator is a Twitter emulator: a real HTTP server (an http.Handler) implementing what
// nezame uses of Twitter, so that every test, the load harness and the demo mode talk to
// something that behaves like Twitter, through the production client libraries.
//
// # API endpoints
//
//	POST /oauth/request_token                  consumer-signed; oauth_callback required (absolute URL or "oob")
//	GET  /oauth/authenticate?oauth_token=…     HTML consent page listing the personas (also /oauth/authorize)
//	POST /oauth/authenticate                   form: oauth_token, persona ("night_owl" or "night_owl#123"),
//	                                           optional user (a number); deny=1 cancels -> callback?denied=<token>
//	POST /oauth/access_token                   oauth_verifier -> oauth_token, oauth_token_secret, user_id, screen_name
//	GET  /1.1/account/verify_credentials.json  the user object
//	GET  /1.1/statuses/user_timeline.json      count (1..200, default 20), max_id (inclusive), since_id
//	                                           (exclusive), trim_user, include_rts, exclude_replies, tweet_mode,
//	                                           user_id / screen_name
//	GET  /2/users/me                           {"data":{"id","name","username","profile_image_url"}}
//	GET  /2/users/{id}/tweets                  own id only (else 403); max_results 5..100, pagination_token,
//	                                           since_id, until_id, start_time, end_time, exclude, tweet.fields
//
// Request tokens are one-shot and live 10 minutes. Every sign-in issues a new access token; all
// stay valid until revoked (or unused for a week, which bounds memory). Access tokens look like
// Twitter's: "<user id>-<random>".
//
// # Signatures
//
// Every API request must carry an OAuth 1.0a HMAC-SHA1 Authorization header (RFC 5849 §3.4,
// package oauthsig) signed with the configured consumer and the token's secret. The base string
// URI is the URL the client used: scheme from TLS or X-Forwarded-Proto, host from the Host header,
// and the full path including BasePath (so "http://localhost:8080/_twitter/1.1/…" when mounted).
// Query, form-body and header parameters are all signed. oauth_timestamp may be at most 5 minutes
// off Config.SignatureClock (the wall clock by default, since real clients sign with it), and a
// (token, timestamp, nonce) is refused a second time. Failures answer as Twitter does: 401
// {"errors":[{"code":32,"message":"Could not authenticate you."}]}, 401 code 89 "Invalid or
// expired token." for an unknown, spent or revoked token, 400 code 215 without an Authorization
// header. v2 endpoints answer in v2's problem shape ({"title","detail","type","status"}).
//
// # Rate limits
//
// Per access token and endpoint, in fixed 15-minute windows that start with the window's first
// request: user_timeline 900, users/:id/tweets 900, verify_credentials 75, users/me 75. App-wide,
// timeline requests (v1.1 and v2 together) share Config.AppDailyCap per fixed 24-hour window.
// Responses of these endpoints that passed authentication carry x-rate-limit-limit,
// x-rate-limit-remaining and x-rate-limit-reset (unix seconds) for the token's window; timeline
// responses also carry x-app-limit-24hour-limit/-remaining/-reset. When the app cap is what
// blocks, the 429 reports it in the x-rate-limit-* headers (limit = cap, remaining 0, reset = end
// of the 24-hour window). Refused requests spend nothing. Over a limit: 429
// {"errors":[{"code":88,"message":"Rate limit exceeded"}]} (v2: {"title":"Too Many Requests",…}).
//
// # Personas
//
// See package persona: early_bird, night_owl, shift_worker, chaotic, silent and heavy, generated
// from Config.Seed and Config.Now (the last 60 days, in Japan time); "persona#N" is a distinct
// user with the persona's schedule shifted by a deterministic -90..+90 minutes. Automated posts:
// early_bird and heavy have a twittbot.net bot posting in the middle of each night; night_owl
// posts a weekly "My week on Twitter … #MyWeekOnTwitter" report (source SumAll) after Sundays.
// Generation is cheap (a full 3,200-post walk of heavy takes under 1 ms), so nothing is cached.
//
// # Admin endpoints (unsigned, never faulted)
//
//	GET  /_emulator/stats    {"endpoints":{"user_timeline":{"200":3,"429":0},…},"postsReturned":
//	                         {"user_timeline":N,"users_tweets":M},"appCap":{…},"faults":{…},"nonces":n}
//	                         (counts by HTTP status; 499 = a timeout fault the client gave up on)
//	POST /_emulator/reset    zeroes counters, rate-limit windows and faults (tokens stay valid)
//	POST /_emulator/faults   {"latencyMs":0..60000,"errorRate":0..1,"timeoutRate":0..1}; all zero clears.
//	                         Errors answer 503 code 130 "Over capacity"; a timeout holds the request
//	                         until the client gives up (at most 30 s, then 503).
//	POST /_emulator/app-cap  {"remaining":0} exhausts the app budget of the current 24-hour window;
//	                         {"remaining":n,"limit":m} sets both
//	POST /_emulator/revoke   {"token":"…"} or {"screenName":"…"} revokes access tokens (-> 401/89)
//	GET  /_emulator/avatar/{screen_name}_normal.png   the profile image the user objects point at
package emulator
