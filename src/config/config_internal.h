/*
 * DOC: inside the config module: settings as descriptors, sections as objects.
 *
 * Other modules include config.h only. This header joins the files of src/config:
 *
 * - A section (struct config_section_ops) is one protocol's or one subsystem's part of struct
 *   config: system (hostname), interfaces, router rip, router ospf, router bgp, static routes,
 *   routing policy. Its commands are a table of descriptors in the order IOS prints them; the
 *   section prints its block line (router rip, ...) and walks the table. config_equal(),
 *   config_print(), config_sections_changed() and config_section_change() walk
 *   config_sections[] in print order, and each section's table.
 * - A command descriptor (struct config_command) joins a command id of the grammar
 *   (commands.c, the one table of syntax) to the section it changes and the function that
 *   checks and applies it. config_apply_in() finds the descriptor and calls it; there is no
 *   other dispatch. A command that Tern accepts and ignores has no apply, only its reason.
 * - A setting's row also carries its print, its compare, its name and its effect: what a
 *   change of it needs from the protocol that runs it (enum config_effect: in place, refresh,
 *   reset, restart), as the protocol does it. A setting that is a list of objects with
 *   settings of their own (BGP neighbours: struct config_neighbor_setting,
 *   config_bgp_neighbor.c; interfaces: config_interface.c) has one row per object setting
 *   there, with the same parts. So a changed setting is known by name, with what it needs:
 *   BGP resets a session when its neighbour's descriptors say so (bgp_speaker_configure), and
 *   ternd logs each commit's changes.
 *
 * A new setting is: its field in config.h, its grammar rows in commands.c, one row in its
 * section's table (apply, print, compare, name, effect), and its behaviour in the protocol.
 * test_config_roundtrip.c fails for a row that does not print, parse back or name its change;
 * test_config_reconfigure.c pins each setting's effect.
 *
 * The helpers below are shared by the section files (config_util.c).
 */
#ifndef TERN_CONFIG_CONFIG_INTERNAL_H
#define TERN_CONFIG_CONFIG_INTERNAL_H

#include "config/config.h"
#include "lib/ifname.h"

/* What one apply call works with besides the config and the parsed line. */
struct config_apply_state {
	struct config_context *ctx;     /* the session's context; NULL when there is none */
	struct config_apply_result *r;  /* the message (error or note) and caret column */
	char entered[CONFIG_NAME_MAX];  /* `interface NAME` writes the interface it enters */
};

typedef bool config_apply_fn(struct config *c, const struct cli_parse *p, struct config_apply_state *s);

struct config_command {
	enum cli_cmd cmd;
	config_apply_fn *apply;         /* NULL: accepted and ignored, with the note below */
	const char *ignored;            /* why Tern ignores it ("% Ignored: CMD (WHY)") */
	bool opens_block;               /* router bgp/ospf/rip: runs before the block exists */
	/* A setting's own print and compare; NULL for a command that keeps no state of its own
	 * (ignored lines, the interface-mode commands whose settings are interface rows). */
	void (*print)(const struct config *c, struct strbuf *out);
	bool (*equal)(const struct config *a, const struct config *b);
	const char *name;               /* as logs and tests name the setting */
	enum config_effect effect;      /* what a change of it needs (config.h) */
	/* For a setting that is a list of objects with settings of their own (BGP neighbours,
	 * interfaces): adds what changed in them to out, instead of the name and effect above. */
	void (*change)(const struct config *a, const struct config *b, struct config_change *out);
};

/* Rows of the command tables. */
#define CONFIG_APPLY(cmd, fn) { (cmd), (fn), NULL, false, NULL, NULL, NULL, CONFIG_EFFECT_NONE, NULL }
#define CONFIG_IGNORED(cmd, why) { (cmd), NULL, (why), false, NULL, NULL, NULL, CONFIG_EFFECT_NONE, NULL }
/* A setting: apply, print, compare, and what a change of it needs. */
#define CONFIG_SETTING(cmd, name, fn, print, equal, effect) \
	{ (cmd), (fn), NULL, false, (print), (equal), (name), (effect), NULL }
/* router bgp/ospf/rip: the block itself is a setting (whether it exists, its number). */
#define CONFIG_BLOCK(cmd, name, fn, equal, effect) \
	{ (cmd), (fn), NULL, true, NULL, (equal), (name), (effect), NULL }

/* Adds setting (with its effect) to out, once. */
void config_change_add(struct config_change *out, enum cli_cmd setting, enum config_effect effect);
/* The section's settings, walked in table order (the order IOS prints them). */
bool config_rows_equal(const struct config_command *rows, size_t count, const struct config *a,
                       const struct config *b);
void config_rows_print(const struct config_command *rows, size_t count, const struct config *c,
                       struct strbuf *out);
void config_rows_change(const struct config_command *rows, size_t count, const struct config *a,
                        const struct config *b, struct config_change *out);

struct config_section_ops {
	enum config_section section;
	const char *name;                /* "bgp", "ospf", ... as logs and tests name it */
	/* The block's own check: its commands fail with not_running unless running() holds
	 * (router bgp must exist before neighbor commands). NULL: always open. */
	bool (*running)(const struct config *c);
	const char *not_running;
	const struct config_command *commands;
	size_t command_count;
	/* Prints the section: its block line, if any, then its settings (config_rows_print).
	 * The section compares setting by setting (config_rows_equal). */
	void (*print)(const struct config *c, struct strbuf *out);
};

/* Every section, in the order show running-config prints them. */
extern const struct config_section_ops *const config_sections[CONFIG_SECTION_COUNT];

extern const struct config_section_ops config_system_section, config_interface_section,
	config_rip_section, config_ospf_section, config_bgp_section, config_static_section,
	config_policy_section;

/* ---- router bgp: neighbour settings as descriptors (config_bgp_neighbor.c) ---- */
struct config_neighbor_setting {
	enum cli_cmd cmd;
	/* Applies the command to neighbour n, which exists (except for remote-as, which creates
	 * it: n is then NULL). */
	bool (*apply)(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
	              struct config_apply_state *s);
	/* Prints the setting's line(s), " neighbor ADDR ...\n", when it differs from the default;
	 * NULL for commands that keep no state. */
	void (*print)(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out);
	/* Whether a and b agree on this setting; NULL for commands that keep no state. */
	bool (*equal)(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b);
	const char *name;
	/* What a change needs: CONFIG_EFFECT_RESET closes and opens the session again
	 * (bgp_speaker_configure asks config_bgp_neighbor_change()). */
	enum config_effect effect;
};
extern const struct config_neighbor_setting config_neighbor_settings[];
extern const size_t config_neighbor_setting_count;
/* The neighbour setting of a command, NULL if it is none. */
const struct config_neighbor_setting *config_neighbor_setting_find(enum cli_cmd cmd);
/* Applies a neighbour command (the descriptor's apply, after the checks all share). */
bool config_bgp_apply_neighbor(struct config *c, const struct cli_parse *p, struct config_apply_state *s);
bool config_bgp_neighbor_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b);
void config_bgp_neighbor_print(const struct config_bgp_neighbor *n, struct strbuf *out);
/* The name of a neighbour setting's command, NULL if it is none. */
const char *config_neighbor_setting_name(enum cli_cmd cmd);
/* The same for the interface settings (config_interface.c). */
const char *config_interface_setting_name(enum cli_cmd cmd);

void config_bgp_reset(struct config_bgp *bgp);
void config_rip_reset(struct config_rip *rip);

/* ---- shared helpers (config_util.c) ---- */
extern const char config_msg_invalid_input[];
extern const char config_msg_inconsistent_mask[];

/* Fills r with the message (printf format) and the caret column (at's, or the line's first
 * word); always false, so that `return config_fail(...)` refuses the command. */
__attribute__((format(printf, 4, 5)))
bool config_fail(struct config_apply_result *r, const struct cli_parse *p, const struct cli_value *at,
                 const char *fmt, ...);
/* "% Not yet supported: KEYWORDS" */
bool config_not_supported(const struct cli_parse *p, struct config_apply_result *r);
/* Accepted with the note "% Ignored: [no ]KEYWORDS (WHY)". */
bool config_ignored(const struct cli_parse *p, struct config_apply_result *r, const char *why);
void config_text_copy(char *dst, size_t size, const char *src);
bool config_is_letter(char c);
bool config_is_digit(char c);
void *config_array_insert(void *base, size_t count, size_t size, size_t at);
void *config_array_remove(void *base, size_t *count, size_t size, size_t at);
bool config_mask_length(uint32_t mask, uint8_t *len);
uint32_t config_length_mask(uint8_t len);
/* Two lists of prefixes, element by element. */
bool config_prefixes_equal(const struct prefix *a, size_t a_count, const struct prefix *b, size_t b_count);
int config_classful_length(uint32_t addr);
bool config_network_and_mask(const struct cli_parse *p, struct config_apply_result *r, bool classful,
                             struct prefix *out);
bool config_interface_name(const struct cli_value *v, struct ifname *out);
bool config_next_hop_valid(const struct ip_addr *a);
bool config_redistribute_equal(const struct config_redistribute *a, const struct config_redistribute *b);
bool config_hold_time_valid(uint32_t hold);
const char *config_mask_text(uint8_t len, char *buf);
void config_print_prefix_mask(const struct prefix *p, struct strbuf *out);
void config_print_redistribute(const char *what, const struct config_redistribute *r, struct strbuf *out);

#endif
