// packetStatistics(fd): the kernel's counters for a Linux AF_PACKET socket, which is where libpcap's
// pcap_stats gets ps_recv and ps_drop. cap 0.2 binds no pcap_stats, so sidetap reads them itself
// from the capture's socket. Only node_api.h is used: the built addon loads on any Node with N-API 8.
#define NAPI_VERSION 8
#include <node_api.h>
#include <string.h>

#ifdef __linux__
#include <sys/socket.h>
#include <linux/if_packet.h>
#endif

static napi_value set_uint(napi_env env, napi_value obj, const char *name, unsigned int value) {
  napi_value v;
  if (napi_create_uint32(env, value, &v) != napi_ok) return NULL;
  if (napi_set_named_property(env, obj, name, v) != napi_ok) return NULL;
  return obj;
}

// Returns { packets, drops, freezeQueue } since the previous call (the kernel resets them on each
// read), or null when fd is not an AF_PACKET socket. packets includes drops, as in the kernel.
static napi_value packet_statistics(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value result;
  int32_t fd;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "packetStatistics: expected a file descriptor (a whole number from 0)");
    return NULL;
  }
  napi_get_null(env, &result);
#ifdef __linux__
  {
    int domain = 0;
    socklen_t len = sizeof(domain);
    // SO_DOMAIN first: SOL_PACKET options on another kind of socket could mean something else.
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 || domain != AF_PACKET) return result;
    struct tpacket_stats_v3 st;
    memset(&st, 0, sizeof(st));
    len = sizeof(st);
    // The kernel fills struct tpacket_stats (TPACKET_V1/V2) or tpacket_stats_v3 by the ring's
    // version and says which in len; both start with tp_packets and tp_drops.
    if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0) return result;
    napi_value obj;
    if (napi_create_object(env, &obj) != napi_ok) return NULL;
    if (set_uint(env, obj, "packets", st.tp_packets) == NULL) return NULL;
    if (set_uint(env, obj, "drops", st.tp_drops) == NULL) return NULL;
    if (set_uint(env, obj, "freezeQueue", len >= sizeof(st) ? st.tp_freeze_q_cnt : 0) == NULL) return NULL;
    result = obj;
  }
#endif
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "packetStatistics", NAPI_AUTO_LENGTH, packet_statistics, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "packetStatistics", fn) != napi_ok) return NULL;
  return exports;
}
