/*
 * DOC: the configuration model.
 *
 * struct config is what a configuration file, or a shell session, describes: plain values,
 * no daemon state. The daemon keeps one running config; a new config is always built beside
 * it (a copy, or a fresh parse of a file), and only if every line was accepted does it replace
 * the running one, so a rejected line changes nothing. config_print() writes the canonical
 * IOS form, and parsing that back gives an equal config (config_equal).
 *
 * Lines are applied through the one command grammar (grammar.h); this module owns the model,
 * loading a file with file/line/caret diagnostics, comparing and printing.
 */
#ifndef TERN_CONFIG_CONFIG_H
#define TERN_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/grammar.h"
#include "lib/addr.h"
#include "lib/prefix.h" /* network statements, aggregates, static routes */
#include "lib/strbuf.h"
#include "policy/policy.h"

#define CONFIG_NAME_MAX 64
#define CONFIG_TEXT_MAX 256
#define CONFIG_PASSWORD_MAX 80  /* TCP_MD5SIG keys are at most 80 octets */
#define CONFIG_BGP_NEIGHBOR_MAX 4096 /* a cap, like every growable array */
#define CONFIG_DEFAULT_CONNECT_RETRY 120
#define CONFIG_PREFIX_MAX 65536       /* networks, aggregates, static routes: each a cap */
#define CONFIG_INTERFACE_MAX 4096
#define CONFIG_DEFAULT_ALLOWAS_IN 3   /* neighbor A allowas-in, as IOS */
#define CONFIG_DEFAULT_MAXPFX_THRESHOLD 75 /* neighbor A maximum-prefix N: warn at 75%, as IOS */

/* neighbor A enforce-first-as / no neighbor A enforce-first-as: overrides bgp enforce-first-as */
enum config_first_as {
	CONFIG_FIRST_AS_DEFAULT,     /* as bgp enforce-first-as says */
	CONFIG_FIRST_AS_ENFORCE,
	CONFIG_FIRST_AS_IGNORE,      /* route servers do not prepend their AS (RFC 7947 §2.2.2.1) */
};

struct config_bgp_neighbor {
	struct ip_addr addr;
	uint32_t remote_as;                      /* 0 until `remote-as` is given */
	char description[CONFIG_TEXT_MAX];       /* "" = none */
	/* update-source: an interface name or an address, as typed */
	char update_source_interface[CONFIG_NAME_MAX]; /* "" = none */
	struct ip_addr update_source_addr;             /* family 0 = none */
	bool ebgp_multihop;
	uint8_t ebgp_multihop_ttl;               /* 255 when no value was given, as IOS */
	bool disable_connected_check;            /* neighbor A disable-connected-check */
	uint8_t ttl_security_hops;               /* neighbor A ttl-security hops N (RFC 5082,
	                                            1-254); 0 = off. Never with ebgp_multihop */
	bool has_timers;
	uint16_t keepalive;                      /* neighbor A timers KA HOLD */
	uint16_t hold_time;
	uint16_t connect_retry;                  /* neighbor A timers connect N; 0 = default 120 s */
	char password[CONFIG_PASSWORD_MAX + 1];  /* "" = no TCP-MD5 */
	bool shutdown;
	char shutdown_message[CONFIG_TEXT_MAX];  /* RFC 8203 text, "" = none */
	bool passive;                            /* transport connection-mode passive */
	bool next_hop_self;                      /* neighbor A next-hop-self */
	bool route_reflector_client;             /* neighbor A route-reflector-client */
	uint8_t allowas_in;                      /* neighbor A allowas-in [N]; 0 = off, 1-10 */
	bool soft_reconfiguration_inbound;       /* neighbor A soft-reconfiguration inbound */
	enum config_first_as enforce_first_as;
	/* neighbor A maximum-prefix MAX [THRESHOLD] [warning-only | restart MINUTES]; 0 = none */
	uint32_t maximum_prefix;
	uint8_t maximum_prefix_threshold;        /* percent, 1-100; 75 unless given */
	bool maximum_prefix_warning_only;
	uint16_t maximum_prefix_restart;         /* minutes; 0 = stay down until clear ip bgp */
	/* neighbor A route-map NAME in|out, neighbor A prefix-list NAME in|out; "" = none */
	char route_map_in[POLICY_NAME_MAX], route_map_out[POLICY_NAME_MAX];
	char prefix_list_in[POLICY_NAME_MAX], prefix_list_out[POLICY_NAME_MAX];
};

struct config_bgp_aggregate {
	struct prefix prefix;   /* aggregate-address A M [summary-only] [as-set] */
	bool summary_only;
	bool as_set;
};

struct config_redistribute {
	bool enabled;                  /* redistribute connected|static [metric N] */
	bool has_metric;
	uint32_t metric;
};

/* router rip (RFC 2453). Lists are small fixed arrays, sorted, so the model copies by value. */
#define CONFIG_RIP_NETWORK_MAX 64
#define CONFIG_RIP_NEIGHBOR_MAX 64
#define CONFIG_RIP_PASSIVE_MAX 64
#define CONFIG_RIP_DEFAULT_UPDATE 30     /* RFC 2453 §3.8 */
#define CONFIG_RIP_DEFAULT_INVALID 180   /* timeout */
#define CONFIG_RIP_DEFAULT_HOLDDOWN 180  /* IOS's; Tern keeps no hold-down (see tern.conf.5) */
#define CONFIG_RIP_DEFAULT_FLUSH 300     /* invalid + RFC 2453's 120 s garbage collection */
#define CONFIG_RIP_DEFAULT_DISTANCE 120

struct config_rip_passive {
	char name[CONFIG_NAME_MAX];              /* canonical (FastEthernet0/0, eth0) */
	char linux_name[16];
};

struct config_rip {
	bool enabled;                            /* a `router rip` block exists */
	uint8_t version;                         /* version 1|2; 0: send 2, receive 1 and 2 */
	bool has_timers;                         /* timers basic U I H F */
	uint32_t update, invalid, holddown, flush; /* seconds; the defaults when !has_timers */
	uint8_t default_metric;                  /* default-metric N (1-16); 0: none */
	uint8_t distance;                        /* distance N; 120 unless set */
	bool auto_summary;                       /* auto-summary: classful summaries at major
	                                            network boundaries (RIPv2); off unless set */
	size_t network_count;
	struct prefix networks[CONFIG_RIP_NETWORK_MAX]; /* classful, sorted */
	size_t neighbor_count;
	uint32_t neighbors[CONFIG_RIP_NEIGHBOR_MAX];           /* host order, sorted */
	bool passive_default;                    /* passive-interface default */
	size_t passive_count;                    /* the exceptions to passive_default: passive
	                                            interfaces, or with default the active ones */
	struct config_rip_passive passive[CONFIG_RIP_PASSIVE_MAX];
	struct config_redistribute redistribute_connected, redistribute_static, redistribute_bgp;
	uint32_t redistribute_bgp_asn;           /* redistribute bgp [ASN]; 0 = not given */
};

enum config_rip_auth_mode {
	CONFIG_RIP_AUTH_NONE,
	CONFIG_RIP_AUTH_TEXT,                    /* ip rip authentication mode text */
	CONFIG_RIP_AUTH_MD5,                     /* ip rip authentication mode md5 */
};

/* redistribute ospf PROCESS under router bgp */
struct config_redistribute_ospf {
	bool enabled;
	uint16_t process;
	bool has_metric;
	uint32_t metric;
};

struct config_bgp {
	bool enabled;            /* a `router bgp` block exists */
	uint32_t asn;
	bool has_router_id;
	uint32_t router_id;      /* host order */
	bool has_timers;
	uint16_t keepalive;      /* timers bgp KA HOLD; IOS defaults 60 and 180 */
	uint16_t hold_time;
	size_t neighbor_count;
	struct config_bgp_neighbor *neighbors; /* heap array, sorted by address */
	uint32_t cluster_id;     /* bgp cluster-id A.B.C.D (host order); 0 = the router ID
	                            (RFC 4456 §7) */
	bool always_compare_med; /* bgp always-compare-med */
	bool ebgp_requires_policy; /* bgp ebgp-requires-policy (RFC 8212); IOS default off */
	bool no_enforce_first_as; /* no bgp enforce-first-as (IOS: on by default) */
	size_t network_count;
	struct prefix *networks; /* network A mask M: heap array, sorted by address, then
	                                   length; host bits zero */
	size_t aggregate_count;
	struct config_bgp_aggregate *aggregates; /* sorted the same way, one per prefix */
	struct config_redistribute redistribute_connected, redistribute_static, redistribute_rip;
	struct config_redistribute_ospf redistribute_ospf;
};

/* ---- router ospf (RFC 2328) ---- */

#define CONFIG_OSPF_NETWORK_MAX 256
#define CONFIG_OSPF_PASSIVE_MAX 64
#define CONFIG_OSPF_AREA_MAX 16

/* network ADDR WILDCARD area AREA: an interface address matches when it equals ADDR in every
 * bit the wildcard has clear (IOS). Host order. */
struct config_ospf_network {
	uint32_t addr;
	uint32_t wildcard;
	uint32_t area;
	bool area_dotted;        /* typed as A.B.C.D: printed back so */
};

/* redistribute connected|static|bgp ASN [metric N] [metric-type 1|2] [subnets] */
struct config_ospf_redistribute {
	bool enabled;
	uint32_t asn;            /* bgp only */
	bool has_metric;
	uint32_t metric;
	uint8_t metric_type;     /* 1 or 2; 0 = not given (2) */
	bool subnets;
};

struct config_ospf_area {
	uint32_t area;
	bool area_dotted;
	uint8_t auth;            /* 1 simple, 2 message-digest */
};

struct config_ospf {
	bool enabled;            /* a `router ospf` block exists */
	uint16_t process;
	bool has_router_id;
	uint32_t router_id;      /* host order */
	size_t network_count;    /* in the order typed, as IOS keeps them */
	struct config_ospf_network networks[CONFIG_OSPF_NETWORK_MAX];
	bool passive_default;    /* passive-interface default */
	size_t passive_count;    /* passive interfaces, or with passive_default the exceptions
	                            (`no passive-interface NAME`); canonical names */
	char passive[CONFIG_OSPF_PASSIVE_MAX][CONFIG_NAME_MAX];
	struct config_ospf_redistribute redistribute_connected, redistribute_static, redistribute_bgp;
	bool default_information_originate;
	size_t area_count;       /* areas with settings (authentication) */
	struct config_ospf_area areas[CONFIG_OSPF_AREA_MAX];
	uint32_t reference_bandwidth; /* auto-cost reference-bandwidth, Mbit/s; 0 = 100 */
};

/* ip ospf ... under an interface */
enum config_ospf_network_type { CONFIG_OSPF_NET_DEFAULT, CONFIG_OSPF_NET_BROADCAST, CONFIG_OSPF_NET_P2P };
struct config_interface_ospf {
	uint16_t cost;           /* 0 = from the bandwidth */
	uint16_t hello_interval; /* 0 = 10 */
	uint32_t dead_interval;  /* 0 = 4 x hello */
	bool has_priority;
	uint8_t priority;        /* default 1 */
	uint8_t network;         /* enum config_ospf_network_type */
	char authentication_key[9];  /* "" = none; up to 8 characters */
	uint8_t md5_key_id;      /* 0 = none */
	char md5_key[17];        /* up to 16 characters */
	uint8_t authentication;  /* ip ospf authentication [message-digest|null]: 0 = as the
	                            area says, 1 simple, 2 message-digest, 3 null */
};

/* ip route P M (NEXTHOP | IFNAME [NEXTHOP]) [DISTANCE], and the same for ipv6 route: one
 * entry per prefix, interface and next hop (IOS keeps several routes to one prefix). */
struct config_static_route {
	struct prefix prefix;         /* AF_INET or AF_INET6, host bits zero */
	struct ip_addr next_hop;             /* family 0 = none (interface route) */
	char interface[CONFIG_NAME_MAX];     /* "" = none; canonical (FastEthernet0/0, eth0) */
	char linux_name[16];                 /* the kernel's name for it (f0-0, lo), "" = none */
	uint8_t distance;                    /* 1 unless given */
};

#define CONFIG_INTERFACE_ADDRESSES_MAX 16
struct config_interface_address {
	struct ip_addr addr;
	uint8_t len;
	bool secondary;                      /* ip address A M secondary */
};

/* interface NAME: IOS names are kept in their canonical long form (FastEthernet0/0); the
 * Linux name comes from lib/ifname.h. Every IOS loopback (Loopback0, Loopback1...) has
 * linux_name "lo": nothing is created in Linux, its addresses go on lo. A Linux name and the
 * IOS name it maps to (f0-0, FastEthernet0/0) are one interface: the first one typed names it. */
struct config_interface {
	char name[CONFIG_NAME_MAX];
	char linux_name[16];
	bool is_loopback;                    /* an IOS LoopbackN (linux_name "lo") */
	char description[CONFIG_TEXT_MAX];
	bool shutdown;                       /* Tern: up unless `shutdown` (see tern.conf.5) */
	size_t address_count;                /* IPv4 first (primary, then secondaries), then IPv6 */
	struct config_interface_address addresses[CONFIG_INTERFACE_ADDRESSES_MAX];
	bool rip_no_split_horizon;           /* no ip split-horizon */
	uint8_t rip_auth_mode;               /* enum config_rip_auth_mode */
	char rip_auth_key[17];               /* ip rip authentication key KEY (1-16 chars) */
	struct config_interface_ospf ospf;   /* ip ospf ... */
};

struct config {
	char hostname[CONFIG_NAME_MAX];          /* "Router" when not set, as IOS */
	struct config_bgp bgp;
	struct config_rip rip;
	struct config_ospf ospf;
	size_t static_route_count;
	struct config_static_route *static_routes;  /* IPv4 then IPv6; sorted by prefix, then
	                                               interface, then next hop */
	size_t interface_count;
	struct config_interface *interfaces;        /* sorted as IOS lists them: loopbacks, other
	                                               IOS names, then Linux names; numbers in
	                                               names compare as numbers */
	struct policy_config policy;                /* prefix-lists, community-lists, route-maps */
};

#define CONFIG_DEFAULT_KEEPALIVE 60
#define CONFIG_DEFAULT_HOLD_TIME 180

void config_init(struct config *c);
void config_free(struct config *c);
/* Deep copy; false on allocation failure (dst is then empty). */
bool config_copy(struct config *dst, const struct config *src);
bool config_equal(const struct config *a, const struct config *b);

struct config_bgp_neighbor *config_bgp_neighbor_find(struct config_bgp *bgp, const struct ip_addr *addr);
/* Adds a neighbour with defaults (keeping the array sorted); NULL on allocation failure. */
struct config_bgp_neighbor *config_bgp_neighbor_add(struct config_bgp *bgp, const struct ip_addr *addr);
void config_bgp_neighbor_remove(struct config_bgp *bgp, const struct ip_addr *addr);

/* Where a configuration line failed: enough to print
 *   tern.conf:12: % Invalid input detected at '^' marker.
 *     neighbor 10.0.0.1 remote-as foo
 *                                 ^
 */
struct config_diag {
	char file[CONFIG_TEXT_MAX];
	unsigned line;           /* 1-based; 0 when not from a file */
	unsigned column;         /* 0-based offset of the caret in text */
	char text[CONFIG_TEXT_MAX * 2]; /* the offending line as written */
	char message[CONFIG_TEXT_MAX];  /* "% Invalid input detected at '^' marker." */
};
/* Formats a diagnostic as the three lines above (no trailing newline after the caret line). */
void config_diag_format(const struct config_diag *d, struct strbuf *out);

/* Parses a whole file into out (initialised by this call). Returns false with diag filled on
 * the first bad line; out is then freed and must not be used. */
bool config_load_file(const char *path, struct config *out, struct config_diag *diag);
/* The same for text in memory; name is used as the file name in diagnostics. */
bool config_load_text(const char *text, const char *name, struct config *out, struct config_diag *diag);

/* The same, also appending one line per accepted-but-ignored command to notes (may be NULL):
 *   tern.conf:7: % Ignored: no synchronization (Tern never synchronizes with the IGP) */
bool config_load_text_notes(const char *text, const char *name, struct config *out,
                            struct config_diag *diag, struct strbuf *notes);

/* What config_apply() did. */
struct config_apply_result {
	enum cli_mode mode;             /* the mode after the command (unchanged on failure) */
	size_t column;                  /* on failure: caret column in the parsed line */
	char message[CONFIG_TEXT_MAX];  /* on failure the IOS error; on success a note or "" */
};

/* What a session carries from one configuration line to the next besides its mode: which
 * interface `(config-if)#` configures. The mode alone cannot say it. A shell session (or a
 * file load) keeps one, zeroed with config_context_init() when it starts, and passes it to
 * every config_apply_in(): `interface NAME` sets it, any accepted command that leaves
 * interface mode clears it, and a refused command leaves it as it was. */
struct config_context {
	char interface[CONFIG_NAME_MAX]; /* config_interface.name; "" outside interface mode */
	char route_map[POLICY_NAME_MAX]; /* the entry of (config-route-map)#; "" outside it */
	uint32_t route_map_seq;
};
void config_context_init(struct config_context *ctx);

/* Applies one parsed configuration command (p->status CLI_OK, typed in p->mode) to c, with
 * the checks IOS makes. A rejected command returns false and changes nothing in c (nor in
 * ctx). `exit` and `end` only change the mode. Commands that Tern accepts and ignores (`no
 * synchronization`, `ip classless`, `line vty 0 4` and its lines, `duplex`) succeed with a
 * note ("% Ignored: ..."). Commands of modules not built yet (`router rip`, `redistribute
 * rip`) fail with "% Not yet supported: router rip" (the command's keywords).
 * Exec commands (and `do ...`) are not configuration: false, "% Not a configuration command".
 * Interface-mode commands need ctx (the interface); if the interface was removed meanwhile
 * (by another session), they configure it again. */
bool config_apply_in(struct config *c, const struct cli_parse *p, struct config_context *ctx,
                     struct config_apply_result *r);
/* config_apply_in() without a context: interface-mode commands fail with
 * "% No interface selected". */
bool config_apply(struct config *c, const struct cli_parse *p, struct config_apply_result *r);

/* The interface named name (as typed: f0/0, FastEthernet0/0, f0-0, eth0), NULL if absent. */
struct config_interface *config_interface_find(struct config *c, const char *name);

/* Canonical IOS text of the configuration, the form `show running-config` prints. */
void config_print(const struct config *c, struct strbuf *out);

/* The area an interface address falls in by the `network` statements (first match, in
 * order, as IOS); false when no statement covers it. */
bool config_ospf_match(const struct config_ospf *ospf, uint32_t addr, uint32_t *area);
/* Is the interface (canonical name or Linux name) passive? */
bool config_ospf_passive(const struct config_ospf *ospf, const struct config_interface *ifc, const char *name);
/* What an interface runs OSPF with where its `ip ospf` settings leave a value out (o NULL:
 * an interface with no settings): hello 10 s, dead four hellos, priority 1 (RFC 2328
 * Appendix C.3, as IOS). */
uint16_t config_ospf_hello_interval(const struct config_interface_ospf *o);
uint32_t config_ospf_dead_interval(const struct config_interface_ospf *o);
uint8_t config_ospf_priority(const struct config_interface_ospf *o);

/* ---- sections and reconfiguration ----
 * A configuration is made of sections, each compared and printed on its own; a command
 * changes one section. When a new configuration replaces the running one, only the
 * protocols that read a changed section are applied again (each protocol's apply then
 * changes in place what it can and resets only what must be reset), so that `hostname R2`
 * touches no protocol. */
enum config_section {
	CONFIG_SECTION_SYSTEM,      /* hostname */
	CONFIG_SECTION_INTERFACES,  /* interface blocks, with their ip rip / ip ospf settings */
	CONFIG_SECTION_RIP,         /* router rip */
	CONFIG_SECTION_OSPF,        /* router ospf */
	CONFIG_SECTION_BGP,         /* router bgp */
	CONFIG_SECTION_STATIC,      /* ip route, ipv6 route */
	CONFIG_SECTION_POLICY,      /* prefix-lists, community-lists, route-maps */
	CONFIG_SECTION_COUNT
};
#define CONFIG_SECTION_BIT(s) (1u << (s))
const char *config_section_name(enum config_section s);
/* The sections in which a and b differ, as CONFIG_SECTION_BIT()s; 0 when they are equal. */
unsigned config_sections_changed(const struct config *a, const struct config *b);
/* The section a configuration command changes; CONFIG_SECTION_COUNT for a command that
 * changes none (exit, end, ignored lines, exec commands). */
enum config_section config_command_section(enum cli_cmd cmd);

/* The daemon's protocols, in the order they are applied. */
enum config_protocol {
	CONFIG_PROTOCOL_STATIC,     /* static routes into the core */
	CONFIG_PROTOCOL_RIP,
	CONFIG_PROTOCOL_OSPF,
	CONFIG_PROTOCOL_BGP,
	CONFIG_PROTOCOL_COUNT
};
#define CONFIG_PROTOCOL_BIT(p) (1u << (p))
#define CONFIG_PROTOCOL_ALL ((1u << CONFIG_PROTOCOL_COUNT) - 1)
const char *config_protocol_name(enum config_protocol p);
/* The sections a protocol's apply reads (CONFIG_SECTION_BIT()s). */
unsigned config_protocol_sections(enum config_protocol p);
/* The protocols to apply again when running becomes next (CONFIG_PROTOCOL_BIT()s): those
 * that read a section that changed. */
unsigned config_protocols_changed(const struct config *running, const struct config *next);

/* ---- what a changed setting needs ----
 * Every setting's descriptor (config_internal.h) says what changing it does to the protocol
 * that runs it, so that comparing two configurations tells, setting by setting, what changed
 * and what the change needs. The effects are ordered: a change needs the largest effect of
 * the settings it changes. */
enum config_effect {
	CONFIG_EFFECT_NONE,      /* nothing changed */
	CONFIG_EFFECT_IN_PLACE,  /* applied at once; no session, adjacency or process restarts */
	CONFIG_EFFECT_REFRESH,   /* routes are judged again under the new policy (BGP: sent again
	                            and asked for again, RFC 2918); the sessions stay */
	CONFIG_EFFECT_RESET,     /* the sessions or adjacencies the setting concerns start again
	                            (BGP: Cease, RFC 4486 Other Configuration Change; OSPF: the
	                            interface goes down and up) */
	CONFIG_EFFECT_RESTART,   /* the protocol's process stops and starts again */
};
const char *config_effect_name(enum config_effect e);

/* The settings of one interface (config-if mode), as a change names them: the rows of the
 * interface descriptor table, in the order IOS prints them. `ip ospf` is one command but
 * several settings, split by what a change of each needs (RFC 2328 §10.5: what a neighbour
 * checks in a Hello restarts the interface; the cost and priority do not). */
enum config_interface_setting {
	CONFIG_IF_DESCRIPTION,
	CONFIG_IF_IP_ADDRESS,
	CONFIG_IF_IPV6_ADDRESS,
	CONFIG_IF_RIP_AUTH_MODE,
	CONFIG_IF_RIP_AUTH_KEY,
	CONFIG_IF_SPLIT_HORIZON,
	CONFIG_IF_OSPF_AUTHENTICATION, /* ip ospf authentication, -key, message-digest-key */
	CONFIG_IF_OSPF_NETWORK,
	CONFIG_IF_OSPF_HELLO_INTERVAL,
	CONFIG_IF_OSPF_DEAD_INTERVAL,
	CONFIG_IF_OSPF_PRIORITY,
	CONFIG_IF_OSPF_COST,
	CONFIG_IF_SHUTDOWN,
	CONFIG_IF_SETTING_COUNT
};
#define CONFIG_IF_SETTING_BIT(s) (1u << (s))
/* "ip ospf hello-interval", "shutdown", ... as logs and tests name them. */
const char *config_interface_setting_label(enum config_interface_setting s);

enum config_interface_delta {
	CONFIG_INTERFACE_ADDED,   /* an `interface NAME` block that was not there */
	CONFIG_INTERFACE_REMOVED,
	CONFIG_INTERFACE_CHANGED, /* in both, with settings that differ */
};

/* One interface a change names, with the settings of it that differ (an added or removed
 * interface: its settings against none) and what each needs, from its descriptor row. A
 * setting written differently with the same meaning (`ip ospf hello-interval 10`, the
 * default) is named with CONFIG_EFFECT_NONE: nothing for a protocol to do. */
struct config_interface_change {
	char name[CONFIG_NAME_MAX];          /* config_interface.name */
	char linux_name[16];
	bool is_loopback;
	enum config_interface_delta delta;
	unsigned settings;                   /* CONFIG_IF_SETTING_BIT()s of those that differ */
	enum config_effect effect;           /* the largest of effects[] */
	enum config_effect effects[CONFIG_IF_SETTING_COUNT]; /* NONE for those not in settings */
};

#define CONFIG_CHANGE_MAX 48
/* What differs between two configurations, as the settings (named by their command) that
 * changed and the largest effect among them. The interfaces section also names each
 * interface that differs (interfaces[], in the order the configuration lists them); the
 * list is allocated: config_change_free() releases it. */
struct config_change {
	enum config_effect effect;
	size_t count;
	enum cli_cmd settings[CONFIG_CHANGE_MAX];   /* each at most once, in table order */
	enum config_effect effects[CONFIG_CHANGE_MAX]; /* what each needs */
	size_t interface_count;
	struct config_interface_change *interfaces;
	bool interfaces_incomplete;  /* out of memory: an interface differs that is not named;
	                                a protocol then treats every interface as named */
};
bool config_change_has(const struct config_change *change, enum cli_cmd setting);
void config_change_free(struct config_change *change);
/* The entry of the interface named name (config_interface.name), or NULL. */
const struct config_interface_change *config_change_interface(const struct config_change *change,
                                                              const char *name);
/* A setting's name as logs and tests show it ("router-id", "neighbor ebgp-multihop");
 * "unknown" for a command that is no setting. */
const char *config_setting_name(enum cli_cmd setting);
/* What differs in section s between a and b. */
void config_section_change(enum config_section s, const struct config *a, const struct config *b,
                           struct config_change *out);
/* What differs between a neighbour's old and new settings (BGP resets its session when the
 * effect is CONFIG_EFFECT_RESET: bgp_speaker_configure). */
void config_bgp_neighbor_change(const struct config_bgp_neighbor *old, const struct config_bgp_neighbor *new,
                                struct config_change *out);
/* One line per changed section, as the daemon logs a commit:
 *   "ospf: router-id (reset), network (reset)\n" */
void config_changes_print(const struct config *running, const struct config *next, struct strbuf *out);

/* The router ID BGP uses: `bgp router-id` if set, else 0 (the daemon then picks the highest
 * loopback address, as IOS does). */
uint32_t config_bgp_router_id(const struct config *c);

#endif
