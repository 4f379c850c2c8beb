/*
 * DOC: the policy commands applied to a configuration (inside the config module: the policy
 * section's descriptors, config_policy.c, dispatch to them). The model is policy.h's.
 */
#ifndef TERN_CONFIG_CONFIG_POLICY_H
#define TERN_CONFIG_CONFIG_POLICY_H

#include "config/config.h"

/* ip prefix-list, ip community-list, route-map and the (config-route-map)# commands. */
bool config_policy_apply(struct policy_config *policy, const struct cli_parse *p, struct config_context *ctx,
                         struct config_apply_result *r);
/* neighbor A route-map NAME in|out, neighbor A prefix-list NAME in|out (and their no forms). */
void config_policy_neighbor(struct config_bgp_neighbor *n, const struct cli_parse *p);

#endif
