# Memorystore for Redis: sessions, analysis cache, quota counters, locks, the waiting room.
#
# STANDARD_HA, 1 GB: a primary and a replica in another zone with automatic failover, so a zone
# outage, a node failure or maintenance (which fails over instead of restarting the only node)
# keeps sessions: nobody is signed out. RDB snapshots every hour on top: if the instance is ever
# restarted as a whole, it comes back from the last snapshot instead of empty (at most an hour of
# new sign-ins and counters lost). Memorystore for Redis offers RDB only; AOF is a Memorystore for
# Redis Cluster / Valkey feature. The primary's IP stays the same across a failover, so instances
# need no reconfiguration; go-redis reconnects. The price is higher than BASIC (deploy/COSTS.md).
resource "google_redis_instance" "main" {
  name               = var.service_name
  tier               = "STANDARD_HA"
  memory_size_gb     = 1
  region             = var.region
  redis_version      = "REDIS_7_2"
  authorized_network = data.google_compute_network.vpc.id
  connect_mode       = "DIRECT_PEERING"
  display_name       = "nezame shared state"

  persistence_config {
    persistence_mode    = "RDB"
    rdb_snapshot_period = "ONE_HOUR"
  }

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
