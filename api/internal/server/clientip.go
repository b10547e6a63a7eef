package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/apperr"
)

// clientAddr is the address of the client that sent r, for per-IP limits and logs.
//
// On Cloud Run every request arrives through Google's front end, which adds the address of the
// client it accepted the connection from at the end of X-Forwarded-For; whatever the client
// itself wrote into that header stays in front of it ("[<client-written>,]<client-ip>"). So the
// right-most entry is the only one nobody but the platform can choose, and the left-most one
// (what gin takes when every proxy is trusted) is whatever an attacker wants it to be. A load
// balancer put in front of the service would append its own address after the client's; this
// deployment (ingress "all", no load balancer) has none, and deploy/README.md says what to change
// if one is added.
//
// Elsewhere only a proxy on this machine (the load harness, a dev proxy) is believed, in the
// same way; any other peer is the client. behindFrontEnd is true on Cloud Run.
func clientAddr(r *http.Request, behindFrontEnd bool) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return apperr.Clip(host, 64)
	}
	peer = peer.Unmap()
	if behindFrontEnd || peer.IsLoopback() {
		if fwd, ok := lastForwarded(r.Header.Values("X-Forwarded-For")); ok {
			return fwd.String()
		}
	}
	return peer.String()
}

// lastForwarded returns the right-most address in the X-Forwarded-For header lines, as the
// platform appended it (a client may also send a header line of its own, which comes first).
func lastForwarded(lines []string) (netip.Addr, bool) {
	if len(lines) == 0 {
		return netip.Addr{}, false
	}
	last := lines[len(lines)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	a, err := netip.ParseAddr(strings.TrimSpace(last))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// limitKey is the rate-limit key for a client address. An IPv6 subscriber is usually given a
// whole /64, so counting single IPv6 addresses would let one client rotate through billions of
// keys; IPv4 addresses are counted one by one (a NAT is several people, see the sign-in limit).
func limitKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Is4() {
		return addr
	}
	p, err := a.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

const clientIPKey = "nezame.clientIP"

// clientIP is the client's address as requestContext worked it out.
func clientIP(c *gin.Context) string {
	if ip, ok := c.Get(clientIPKey); ok {
		return ip.(string)
	}
	return clientAddr(c.Request, false)
}
