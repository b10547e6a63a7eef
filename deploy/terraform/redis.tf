# Memorystore for Redis: sessions, analysis cache, quota counters, locks, the waiting room.
#
# BASIC tier, 1 GB: no replica, so a zone outage or maintenance loses the cache and sessions
# (users sign in again; /readyz fails new instances until it is back). STANDARD_HA doubles the
# price; see deploy/COSTS.md for when it is worth it.
resource "google_redis_instance" "main" {
  name               = var.service_name
  tier               = "BASIC"
  memory_size_gb     = 1
  region             = var.region
  redis_version      = "REDIS_7_2"
  authorized_network = data.google_compute_network.vpc.id
  connect_mode       = "DIRECT_PEERING"
  display_name       = "nezame shared state"

  redis_configs = {
    # Every nezame key has a TTL, so volatile-lru may evict any of them under memory pressure,
    # preferring the least recently used (old analysis caches) over live sessions. allkeys-lru
    # would behave the same here but would also evict a key written without a TTL by mistake,
    # hiding the bug; noeviction would turn memory pressure into write errors (5xx).
    "maxmemory-policy" = "volatile-lru"
  }

  # Weekly maintenance at a quiet hour in Japan (Sunday 03:00 JST = Saturday 18:00 UTC).
  maintenance_policy {
    weekly_maintenance_window {
      day = "SATURDAY"
      start_time {
        hours   = 18
        minutes = 0
      }
    }
  }

  depends_on = [google_project_service.apis]
}
