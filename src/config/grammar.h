/*
 * DOC: the one command grammar (DESIGN.md, principle 6).
 *
 * One table of commands (commands.c) drives everything that reads a command: configuration
 * files, shell lines in every mode, `?` help, Tab completion and the `no` forms. Nothing else
 * in Tern splits a command line into words.
 *
 * A command is a row: the command id, the modes it is valid in, flags, the mode it enters,
 * and its syntax as a list of tokens. A token written in lower case (or `*`) is a keyword,
 * which any unique prefix matches, case-insensitively (`sh ip bgp su`, `conf t`). A token
 * named in cli_types[] (upper case: ASN, ADDR, LINE, ...) is an argument of that type: a
 * number in a range, an address, one WORD, an interface name, or LINE, the rest of the line.
 * Optional parts are written as separate rows with the same id. A row flagged CLI_F_NO may
 * also be typed with `no` in front; CLI_F_NO_ONLY rows exist only in the `no` form (the
 * shorter forms, like `no neighbor A description`).
 *
 * Matching goes word by word over every row valid in the mode: an exact keyword wins, else
 * one keyword the word is a prefix of, else the arguments whose type accepts the word; two
 * keywords sharing the prefix are ambiguous, and nothing at all is invalid input at that
 * word. Errors are the IOS texts, with the column of the offending word for the caret.
 *
 * `do` in a configuration mode hands the rest of the line to privileged EXEC; the result is
 * the exec command with via_do set.
 *
 * An EXEC `show` command may end in an IOS output modifier: `| include REGEX`, `| exclude
 * REGEX`, `| begin REGEX`, `| section REGEX` or `| count [REGEX]`. The words after the first
 * `|` word are matched against the rows of CLI_MODE_OUTPUT_FILTER (so `?` and Tab work there
 * too); the result is the show command, with filter and filter_regex set. Configuration
 * lines are never split at `|` (a description may hold one).
 *
 * Typical use (shell or control socket):
 *
 *	struct cli_parse p;
 *	if (cli_parse(mode, line, &p) == CLI_OK) {
 *		switch (p.cmd) {
 *		case CLI_CMD_SHOW_BGP_NEIGHBORS: {
 *			const struct cli_value *a = cli_arg(&p, "ADDR"); // NULL when not typed
 *			bool json = cli_has(&p, "json");
 *			...
 *		}
 *		}
 *		mode = p.next_mode;
 *	} else if (p.status != CLI_EMPTY) {
 *		cli_format_error(&p, strlen(prompt), &out);     // caret line + message
 *	}
 *
 * Argument names are the same wherever the same thing is meant (cli_arg() takes them):
 *   ADDR        a BGP neighbour's address, IPv4 or IPv6            (CLI_IP)
 *   NETWORK     an IPv4 network number or address, A.B.C.D          (CLI_IPV4)
 *   MASK        an IPv4 mask in dotted form, A.B.C.D                (CLI_IPV4)
 *   PREFIX      an IPv4 prefix, A.B.C.D/LEN                         (CLI_IPV4_PREFIX)
 *   IPV6-PREFIX an IPv6 prefix or interface address, X:X::X:X/LEN   (CLI_IPV6_PREFIX)
 *   NEXTHOP, IPV6-NEXTHOP   a static route's next hop               (CLI_IPV4, CLI_IPV6)
 *   IP-ADDRESS  an interface's IPv4 address                         (CLI_IPV4)
 *   IFNAME      an interface name as typed (IOS or Linux; lib/ifname.h maps it)
 *   DISTANCE    administrative distance 1-255; METRIC 0-4294967295
 *
 * Configuration commands are applied to a struct config with config_apply_in() (config.h).
 */
#ifndef TERN_CONFIG_GRAMMAR_H
#define TERN_CONFIG_GRAMMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/strbuf.h"

enum cli_mode {
	CLI_MODE_USER_EXEC,         /* R1>   read-only: show commands, enable, exit */
	CLI_MODE_EXEC,              /* R1#   privileged */
	CLI_MODE_CONFIG,            /* R1(config)# */
	CLI_MODE_CONFIG_ROUTER_BGP, /* R1(config-router)# */
	CLI_MODE_CONFIG_INTERFACE,  /* R1(config-if)# */
	CLI_MODE_CONFIG_LINE,       /* R1(config-line)#  (line vty: accepted, ignored) */
	CLI_MODE_CONFIG_ROUTE_MAP,  /* R1(config-route-map)# (the entry is the session's
	                               config_context) */
	CLI_MODE_CONFIG_ROUTER_RIP, /* R1(config-router)# under `router rip` */
	CLI_MODE_CONFIG_ROUTER_OSPF, /* R1(config-router)# under router ospf */
	CLI_MODE_OUTPUT_FILTER,     /* not a shell mode: the words after `|` in a `show` command
	                               (`show running-config | include bgp`) */
	CLI_MODE_COUNT
};

/* What a parsed line asks for. Exec commands are carried out by the daemon; configuration
 * commands by config_apply(). */
enum cli_cmd {
	CLI_CMD_NONE,
	/* any mode */
	CLI_CMD_EXIT,                 /* exit: leave the mode (from an exec mode: end the session) */
	CLI_CMD_END,                  /* end: back to EXEC */
	CLI_CMD_DO,                   /* `do`: never returned, the exec command is (via_do) */
	/* exec */
	CLI_CMD_SHOW_BGP_SUMMARY,     /* show ip bgp summary [json] */
	CLI_CMD_SHOW_BGP_NEIGHBORS,   /* show ip bgp neighbors [ADDR] [json] */
	CLI_CMD_SHOW_BGP_MESSAGES,    /* show bgp neighbors ADDR messages [json] */
	CLI_CMD_SHOW_RUNNING_CONFIG,  /* show running-config */
	CLI_CMD_SHOW_STARTUP_CONFIG,  /* show startup-config */
	CLI_CMD_CONFIGURE_TERMINAL,   /* configure terminal */
	CLI_CMD_CLEAR_BGP,            /* clear ip bgp (ADDR|*) [soft [in|out]] */
	CLI_CMD_DEBUG_BGP,            /* [no] debug bgp */
	CLI_CMD_DEBUG_IP,             /* [no] debug ip (bgp|ospf|rip), undebug ip (bgp|ospf|rip):
	                                 that protocol's messages to the daemon log */
	CLI_CMD_UNDEBUG_ALL,          /* undebug all, no debug all */
	CLI_CMD_SHOW_DEBUGGING,       /* show debugging */
	CLI_CMD_WRITE_MEMORY,         /* write [memory] */
	CLI_CMD_COPY_RUN_START,       /* copy running-config startup-config */
	CLI_CMD_ENABLE,               /* enable */
	CLI_CMD_DISABLE,              /* disable */
	/* exec: routes, interfaces, memory (every one takes a final `json`: cli_has(p, "json")) */
	CLI_CMD_SHOW_BGP,             /* show ip bgp [NETWORK [MASK] | PREFIX] [json]: the BGP table,
	                                 or one prefix with every path (NETWORK alone: longest match,
	                                 NETWORK MASK and PREFIX: exact) */
	CLI_CMD_SHOW_BGP_NEIGHBOR_ROUTES, /* show ip bgp neighbors ADDR
	                                     (routes|advertised-routes|received-routes) [json]: which
	                                     one is cli_has(p, "routes") etc. */
	CLI_CMD_SHOW_BGP_IPV6,        /* show bgp ipv6 unicast [json] */
	CLI_CMD_SHOW_IP_ROUTE,        /* show ip route [NETWORK [MASK [longer-prefixes]] |
	                                 connected|static|ospf|rip|bgp] [json]: the table, one
	                                 protocol's part of it, the route NETWORK (an address)
	                                 resolves to, the prefix NETWORK MASK, or the prefixes
	                                 within it */
	CLI_CMD_SHOW_IP_INTERFACE_BRIEF, /* show ip interface brief [json] */
	CLI_CMD_SHOW_INTERFACES,      /* show interfaces [IFNAME] [json] */
	CLI_CMD_SHOW_IP_INTERFACE,    /* show ip interface [IFNAME] [json] */
	CLI_CMD_SHOW_MEMORY,          /* show memory [json] */
	CLI_CMD_SHOW_IP_RIP_DATABASE, /* show ip rip database [json] */
	CLI_CMD_SHOW_IP_PROTOCOLS,    /* show ip protocols [json] */
	CLI_CMD_TERMINAL_LENGTH,      /* terminal length TERMINAL-LENGTH: the shell's pager */
	CLI_CMD_SHOW_HISTORY,         /* show history: the session's EXEC commands */
	CLI_CMD_SHOW_VERSION,         /* show version */
	CLI_CMD_SHOW_CLOCK,           /* show clock */
	CLI_CMD_PING,                 /* ping TARGET [repeat N] [size N] [timeout N]
	                                 [source (IFNAME | PING-SOURCE)] */
	CLI_CMD_TRACEROUTE,           /* traceroute TARGET */
	/* global configuration */
	CLI_CMD_HOSTNAME,             /* [no] hostname WORD */
	CLI_CMD_ROUTER_BGP,           /* [no] router bgp ASN */
	CLI_CMD_ROUTER_OSPF,          /* [no] router ospf PROCESS-ID: enters the OSPF router mode */
	CLI_CMD_ROUTER_RIP,           /* [no] router rip: enters config-router for RIP */
	CLI_CMD_INTERFACE,            /* [no] interface IFNAME: enters config-if for it (the
	                                 interface is the session's config_context) */
	CLI_CMD_IP_CLASSLESS,         /* [no] ip classless: ignored */
	CLI_CMD_IP_SUBNET_ZERO,       /* [no] ip subnet-zero: ignored */
	CLI_CMD_LINE,                 /* line (vty|console|aux) ...: ignored, enters config-line */
	CLI_CMD_LINE_SETTING,         /* login, password, exec-timeout... under line: ignored */
	CLI_CMD_IP_ROUTE,             /* [no] ip route NETWORK MASK (NEXTHOP | IFNAME [NEXTHOP])
	                                 [DISTANCE]; no ip route NETWORK MASK: all routes to it */
	CLI_CMD_IPV6_ROUTE,           /* [no] ipv6 route IPV6-PREFIX (IPV6-NEXTHOP | IFNAME
	                                 [IPV6-NEXTHOP]) [DISTANCE]; no ipv6 route IPV6-PREFIX */
	/* router bgp */
	CLI_CMD_BGP_ROUTER_ID,        /* [no] bgp router-id ROUTER-ID */
	CLI_CMD_BGP_TIMERS,           /* [no] timers bgp KEEPALIVE HOLD */
	CLI_CMD_BGP_SYNCHRONIZATION,  /* [no] synchronization: ignored */
	CLI_CMD_BGP_AUTO_SUMMARY,     /* [no] auto-summary: ignored */
	CLI_CMD_NEIGHBOR,             /* no neighbor ADDR: removes the neighbour */
	CLI_CMD_NEIGHBOR_REMOTE_AS,   /* [no] neighbor ADDR remote-as ASN */
	CLI_CMD_NEIGHBOR_DESCRIPTION, /* [no] neighbor ADDR description LINE */
	CLI_CMD_NEIGHBOR_UPDATE_SOURCE, /* [no] neighbor ADDR update-source (IFNAME|SOURCE) */
	CLI_CMD_NEIGHBOR_EBGP_MULTIHOP, /* [no] neighbor ADDR ebgp-multihop [TTL] */
	CLI_CMD_NEIGHBOR_DISABLE_CONNECTED_CHECK, /* [no] neighbor ADDR disable-connected-check */
	CLI_CMD_NEIGHBOR_TTL_SECURITY, /* [no] neighbor ADDR ttl-security hops HOPS (RFC 5082) */
	CLI_CMD_NEIGHBOR_TIMERS,      /* [no] neighbor ADDR timers KEEPALIVE HOLD */
	CLI_CMD_NEIGHBOR_TIMERS_CONNECT, /* [no] neighbor ADDR timers connect SECONDS */
	CLI_CMD_NEIGHBOR_PASSWORD,    /* [no] neighbor ADDR password LINE */
	CLI_CMD_NEIGHBOR_SHUTDOWN,    /* [no] neighbor ADDR shutdown [message LINE] */
	CLI_CMD_NEIGHBOR_PASSIVE,     /* [no] neighbor ADDR transport connection-mode passive */
	CLI_CMD_BGP_NETWORK,          /* [no] network NETWORK [mask MASK] (no mask: classful) */
	CLI_CMD_BGP_AGGREGATE,        /* [no] aggregate-address NETWORK MASK [summary-only] [as-set]
	                                 (either order) */
	CLI_CMD_BGP_REDISTRIBUTE,     /* [no] redistribute (connected|static|rip|ospf PROCESS-ID)
	                                 [metric METRIC] */
	CLI_CMD_BGP_CLUSTER_ID,       /* [no] bgp cluster-id (CLUSTER-ID | CLUSTER-NUMBER) */
	CLI_CMD_BGP_ALWAYS_COMPARE_MED, /* [no] bgp always-compare-med */
	CLI_CMD_BGP_EBGP_REQUIRES_POLICY, /* [no] bgp ebgp-requires-policy */
	CLI_CMD_BGP_LOG_NEIGHBOR_CHANGES, /* [no] bgp log-neighbor-changes: ignored */
	CLI_CMD_BGP_ADDRESS_FAMILY,   /* address-family ipv4 [unicast]: ignored, stays in router
	                                 mode (the IPv4 unicast commands are the same) */
	CLI_CMD_BGP_EXIT_ADDRESS_FAMILY, /* exit-address-family: ignored */
	CLI_CMD_NEIGHBOR_NEXT_HOP_SELF, /* [no] neighbor ADDR next-hop-self */
	CLI_CMD_NEIGHBOR_ROUTE_REFLECTOR_CLIENT, /* [no] neighbor ADDR route-reflector-client */
	CLI_CMD_NEIGHBOR_ALLOWAS_IN,  /* [no] neighbor ADDR allowas-in [ALLOWAS] */
	CLI_CMD_NEIGHBOR_SOFT_RECONFIGURATION, /* [no] neighbor ADDR soft-reconfiguration inbound */
	CLI_CMD_NEIGHBOR_ACTIVATE,    /* neighbor ADDR activate: ignored (IPv4 unicast is on) */
	CLI_CMD_NEIGHBOR_ENFORCE_FIRST_AS, /* [no] neighbor ADDR enforce-first-as */
	CLI_CMD_NEIGHBOR_MAXIMUM_PREFIX, /* [no] neighbor ADDR maximum-prefix MAXPFX [THRESHOLD]
	                                    [warning-only | restart RESTART-MINUTES] */
	CLI_CMD_BGP_ENFORCE_FIRST_AS, /* [no] bgp enforce-first-as */
	/* router rip */
	CLI_CMD_RIP_VERSION,          /* [no] version (1|2); no version */
	CLI_CMD_RIP_NETWORK,          /* [no] network NETWORK (classful) */
	CLI_CMD_RIP_AUTO_SUMMARY,     /* [no] auto-summary: classful summaries (off by default) */
	CLI_CMD_RIP_PASSIVE_INTERFACE, /* [no] passive-interface (IFNAME|default) */
	CLI_CMD_RIP_NEIGHBOR,         /* [no] neighbor RIP-NEIGHBOR */
	CLI_CMD_RIP_TIMERS,           /* [no] timers basic UPDATE INVALID HOLDDOWN FLUSH */
	CLI_CMD_RIP_DEFAULT_METRIC,   /* [no] default-metric [RIP-METRIC] */
	CLI_CMD_RIP_DISTANCE,         /* [no] distance [DISTANCE] */
	CLI_CMD_RIP_REDISTRIBUTE,     /* [no] redistribute (connected|static|bgp [ASN])
	                                 [metric RIP-METRIC] */
	/* router ospf */
	CLI_CMD_OSPF_NETWORK,         /* [no] network NETWORK WILDCARD area (AREA|AREA-ID) */
	CLI_CMD_OSPF_ROUTER_ID,       /* [no] router-id ROUTER-ID */
	CLI_CMD_OSPF_PASSIVE,         /* [no] passive-interface (IFNAME|default) */
	CLI_CMD_OSPF_REDISTRIBUTE,    /* [no] redistribute (connected|static|bgp ASN) [metric
	                                 OSPF-METRIC] [metric-type (1|2)] [subnets] */
	CLI_CMD_OSPF_DEFAULT_INFORMATION, /* [no] default-information originate */
	CLI_CMD_OSPF_AREA_AUTH,       /* [no] area (AREA|AREA-ID) authentication [message-digest] */
	CLI_CMD_OSPF_AUTO_COST,       /* [no] auto-cost reference-bandwidth BANDWIDTH */
	CLI_CMD_OSPF_LOG_ADJACENCY,   /* [no] log-adjacency-changes [detail]: ignored */
	/* exec: OSPF */
	CLI_CMD_SHOW_OSPF,            /* show ip ospf [json] */
	CLI_CMD_SHOW_OSPF_INTERFACE,  /* show ip ospf interface [IFNAME] [json] */
	CLI_CMD_SHOW_OSPF_NEIGHBOR,   /* show ip ospf neighbor [detail] [json] */
	CLI_CMD_SHOW_OSPF_DATABASE,   /* show ip ospf database [(router|network|summary|
	                                 asbr-summary|external) [LSID]] [json] */
	CLI_CMD_SHOW_OSPF_ROUTE,      /* show ip ospf route [json] */
	/* interface (config-if; the interface is the session's config_context) */
	CLI_CMD_IF_OSPF,              /* [no] ip ospf (cost COST | hello-interval SECONDS |
	                                 dead-interval SECONDS | priority PRIORITY | network
	                                 (point-to-point|broadcast) | authentication
	                                 [message-digest|null] | authentication-key KEY |
	                                 message-digest-key KEY-ID md5 MD5-KEY) */
	CLI_CMD_IF_IP_ADDRESS,        /* [no] ip address IP-ADDRESS MASK [secondary];
	                                 no ip address: every IPv4 address */
	CLI_CMD_IF_SHUTDOWN,          /* [no] shutdown */
	CLI_CMD_IF_DESCRIPTION,       /* [no] description DESCRIPTION */
	CLI_CMD_IF_IPV6_ADDRESS,      /* [no] ipv6 address IPV6-PREFIX; no ipv6 address: all */
	CLI_CMD_IF_RIP_AUTH_MODE,     /* [no] ip rip authentication mode (text|md5) */
	CLI_CMD_IF_RIP_AUTH_KEY,      /* [no] ip rip authentication key RIP-KEY */
	CLI_CMD_IF_SPLIT_HORIZON,     /* [no] ip split-horizon */
	CLI_CMD_IF_MEDIA,             /* [no] duplex (auto|full|half), [no] speed (auto|10|100|1000):
	                                 ignored (veths have no media) */
	/* Lines every saved IOS configuration has that mean nothing on Tern: accepted,
	 * ignored with a note (version, service, boot markers, enable secret, ip cef, ...). */
	CLI_CMD_LEGACY_GLOBAL,
	CLI_CMD_LEGACY_INTERFACE,     /* cdp enable, ip route-cache under an interface */
	/* routing policy (src/policy) */
	CLI_CMD_SHOW_IP_PREFIX_LIST,  /* show ip prefix-list [PL-NAME] [json] */
	CLI_CMD_SHOW_ROUTE_MAP,       /* show route-map [RM-NAME] [json] */
	CLI_CMD_IP_PREFIX_LIST,       /* [no] ip prefix-list PL-NAME [seq PL-SEQ] (permit|deny) PREFIX
	                                 [ge GE] [le LE]; no ip prefix-list PL-NAME [seq PL-SEQ] */
	CLI_CMD_IP_COMMUNITY_LIST,    /* [no] ip community-list (standard CL-NAME | CL-NUMBER)
	                                 (permit|deny) COMMUNITY-VALUES; no ... without the rest */
	CLI_CMD_ROUTE_MAP,            /* [no] route-map RM-NAME [(permit|deny) [RM-SEQ]]: enters
	                                 config-route-map for that entry */
	CLI_CMD_RM_MATCH_PREFIX_LIST, /* [no] match ip address prefix-list PL-NAME */
	CLI_CMD_RM_MATCH_COMMUNITY,   /* [no] match community CL-NAME */
	CLI_CMD_RM_SET_LOCAL_PREF,    /* [no] set local-preference LOCAL-PREF */
	CLI_CMD_RM_SET_METRIC,        /* [no] set metric MED */
	CLI_CMD_RM_SET_COMMUNITY,     /* [no] set community COMMUNITIES (AA:NN... [additive] | none) */
	CLI_CMD_RM_SET_PREPEND,       /* [no] set as-path prepend ASNS */
	CLI_CMD_NEIGHBOR_ROUTE_MAP,   /* [no] neighbor ADDR route-map RM-NAME (in|out) */
	CLI_CMD_NEIGHBOR_PREFIX_LIST, /* [no] neighbor ADDR prefix-list PL-NAME (in|out) */
	/* output modifiers: `show ... | FILTER` (CLI_MODE_OUTPUT_FILTER; set in cli_parse.filter) */
	CLI_CMD_FILTER_INCLUDE,       /* | include REGEX: only the lines that match */
	CLI_CMD_FILTER_EXCLUDE,       /* | exclude REGEX: the lines that do not match */
	CLI_CMD_FILTER_BEGIN,         /* | begin REGEX: from the first line that matches on */
	CLI_CMD_FILTER_SECTION,       /* | section REGEX: a matching line and its indented lines */
	CLI_CMD_FILTER_COUNT,         /* | count [REGEX]: how many lines (that match) */
	CLI_CMD_COUNT
};

/* How a token reads its word. */
enum cli_kind {
	CLI_KEYWORD, /* literal; any unique prefix */
	CLI_NUMBER,  /* unsigned decimal in [min, max] */
	CLI_ASN,     /* 1-4294967295, or asdot HIGH.LOW (1.10 = 65546) */
	CLI_IPV4,    /* A.B.C.D */
	CLI_IPV6,    /* X:X::X:X */
	CLI_IP,      /* A.B.C.D or X:X::X:X */
	CLI_IPV4_PREFIX, /* A.B.C.D/LEN, LEN 0-32: addr and prefix_len (host bits as typed) */
	CLI_IPV6_PREFIX, /* X:X::X:X/LEN, LEN 0-128: addr and prefix_len (host bits as typed) */
	CLI_WORD,    /* one word, at most max characters */
	CLI_IFNAME,  /* interface name: a letter, then letters, digits and / . : _ - */
	CLI_LINE,    /* the rest of the line as typed (inner spaces kept), at most max chars */
	CLI_EXEC,    /* the rest of the line is an EXEC command (`do`) */
};

#define CLI_LINE_MAX 511     /* longest line accepted, in bytes */
#define CLI_VALUE_MAX 256    /* a value's text, NUL included */
#define CLI_VALUES_MAX 12    /* tokens of one command, `no` and `do` included */
#define CLI_SYNTAX_MAX 11    /* tokens of one row */

/* One matched token of a parsed line: every keyword and every argument, in order. */
struct cli_value {
	const char *name;  /* the token in the table: "neighbor", "ADDR", "json", "*", ... */
	enum cli_kind kind;
	size_t column;     /* 0-based offset of the word in the line */
	char text[CLI_VALUE_MAX]; /* as typed; for LINE the rest of the line, trailing blanks cut */
	uint32_t number;   /* CLI_NUMBER, CLI_ASN */
	struct ip_addr addr; /* CLI_IPV4, CLI_IPV6, CLI_IP, CLI_IPV4_PREFIX, CLI_IPV6_PREFIX */
	uint8_t prefix_len;  /* CLI_IPV4_PREFIX, CLI_IPV6_PREFIX */
};

enum cli_status {
	CLI_OK,
	CLI_EMPTY,          /* blank line or `!` comment: nothing to do */
	CLI_ERR_INVALID,    /* % Invalid input detected at '^' marker. */
	CLI_ERR_INCOMPLETE, /* % Incomplete command. */
	CLI_ERR_AMBIGUOUS,  /* % Ambiguous command:  "LINE" */
};

struct cli_parse {
	enum cli_status status;
	enum cli_cmd cmd;
	enum cli_mode mode;       /* mode the command runs in (CLI_MODE_EXEC when via_do) */
	enum cli_mode next_mode;  /* mode after it, if it succeeds (unchanged when via_do) */
	bool negated;             /* typed as `no ...` */
	bool via_do;              /* typed as `do ...` in a configuration mode */
	size_t count;
	struct cli_value values[CLI_VALUES_MAX]; /* `no` and `do` are not among them */
	size_t column;            /* error: where the caret goes (0-based offset in the line) */
	enum cli_cmd filter;      /* CLI_CMD_NONE, or the output modifier typed after `|` */
	char filter_regex[CLI_VALUE_MAX]; /* its regular expression as typed ("" for bare count) */
	size_t filter_column;     /* where the regular expression starts in the line */
	char message[CLI_LINE_MAX + 32]; /* error: the IOS text; "" when status is CLI_OK */
};

/* Parses one line typed in mode. Returns p->status. */
enum cli_status cli_parse(enum cli_mode mode, const char *line, struct cli_parse *p);
/* The value of argument or keyword `name` (as written in the table), NULL when not typed. */
const struct cli_value *cli_arg(const struct cli_parse *p, const char *name);
/* True when keyword `name` was typed (`json`, `soft`, `in`, `out`, `*`). */
bool cli_has(const struct cli_parse *p, const char *name);
/* IOS error output: for invalid input a caret line (indent + column spaces, `^`), then the
 * message, each ending in a newline. indent is what precedes the line on screen (the prompt
 * length in the shell, 0 for a config file line shown alone). Nothing when status is OK. */
void cli_format_error(const struct cli_parse *p, size_t indent, struct strbuf *out);

/* `?`: what may come next after line_so_far. After a blank: every next token; inside a word:
 * the tokens that word may still become. IOS layout, one token a line:
 *   "  summary    Summary of BGP neighbor status\n" ... "  <cr>\n"
 * On an error before the last word, writes the error message (no caret) to out, sets
 * *error_column (if not NULL) and returns the status. */
enum cli_status cli_help(enum cli_mode mode, const char *line_so_far, struct strbuf *out,
                         size_t *error_column);

#define CLI_COMPLETE_MAX 32
struct cli_completion {
	size_t count;                              /* keywords the last word may become */
	const char *candidates[CLI_COMPLETE_MAX];  /* sorted; point into the static table */
	size_t word_column;                        /* where the last (partial) word starts */
	char line[CLI_LINE_MAX + CLI_VALUE_MAX];   /* when count == 1 and a word was begun: the line
	                                              with that word completed, plus a space */
};
/* Tab: candidates for the last partial word of line_so_far. Returns out->count. */
size_t cli_complete(enum cli_mode mode, const char *line_so_far, struct cli_completion *out);

/* The prompt after the host name: ">", "#", "(config)#", "(config-router)#", ... */
const char *cli_mode_prompt(enum cli_mode mode);
bool cli_mode_is_config(enum cli_mode mode);

/* ---- The table (commands.c). Read by grammar.c; listed here so tools can walk it. ---- */

#define CLI_IN(mode) (1u << (mode))
#define CLI_IN_ANY_CONFIG (CLI_IN(CLI_MODE_CONFIG) | CLI_IN(CLI_MODE_CONFIG_ROUTER_BGP) | \
                           CLI_IN(CLI_MODE_CONFIG_INTERFACE) | CLI_IN(CLI_MODE_CONFIG_LINE) | \
                           CLI_IN(CLI_MODE_CONFIG_ROUTE_MAP) | CLI_IN(CLI_MODE_CONFIG_ROUTER_RIP) | \
                           CLI_IN(CLI_MODE_CONFIG_ROUTER_OSPF))
#define CLI_IN_ANY_EXEC (CLI_IN(CLI_MODE_USER_EXEC) | CLI_IN(CLI_MODE_EXEC))

enum cli_flag {
	CLI_F_NO = 1u << 0,      /* may also be typed with `no` */
	CLI_F_NO_ONLY = 1u << 1, /* only with `no` */
};

enum cli_enters {
	CLI_ENTERS_NONE = -1,    /* stays in its mode */
	CLI_ENTERS_PARENT = -2,  /* exit: sub-mode -> config -> exec; exec stays */
};

struct cli_command {
	enum cli_cmd id;
	unsigned modes;          /* CLI_IN() bits */
	unsigned flags;          /* enum cli_flag bits */
	int enters;              /* an enum cli_mode or enum cli_enters; the `no` form never enters */
	const char *syntax[CLI_SYNTAX_MAX]; /* NULL-terminated unless full */
};

struct cli_type {
	const char *name;        /* as written in syntax, and the name cli_arg() takes */
	enum cli_kind kind;
	uint32_t min, max;       /* NUMBER: range; WORD, IFNAME, LINE: max length */
	const char *label;       /* what `?` shows, e.g. "<1-65535>", "A.B.C.D" */
	const char *help;
	const char *label2;      /* a second line for `?`, or NULL (ADDR: X:X::X:X) */
	const char *help2;
};

/* Help of a keyword: path is the keyword, or the syntax tokens ending in it for a keyword
 * whose meaning depends on what precedes it ("timers bgp"); the longest path wins. A path
 * ending in an argument ("ip route NETWORK") overrides that type's help in that place. */
struct cli_keyword_help {
	const char *path;
	const char *help;
};

extern const struct cli_command cli_commands[];
extern const size_t cli_command_count;
extern const struct cli_type cli_types[];
extern const size_t cli_type_count;
extern const struct cli_keyword_help cli_keyword_helps[];
extern const size_t cli_keyword_help_count;

/* The type of a syntax token, NULL for a keyword. */
const struct cli_type *cli_type_find(const char *token);
/* The help of keyword number index of a row's syntax ("" when the table lacks one). */
const char *cli_keyword_help(const struct cli_command *row, size_t index);

#endif
