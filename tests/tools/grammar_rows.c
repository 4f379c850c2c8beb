/*
 * DOC: prints every row of the command table (config/grammar.h), one a line, its syntax
 * tokens separated by spaces ("show ip bgp neighbors ADDR json").
 *
 * For tests that must cover the whole grammar and not a hand-written copy of it: the
 * namespace test of `show ... json` (tests/net/test_show_json.py) runs every row that
 * starts with `show` and ends with `json`.
 */
#include <stdio.h>

#include "config/grammar.h"

int main(void)
{
	for (size_t i = 0; i < cli_command_count; i++) {
		const struct cli_command *row = &cli_commands[i];
		for (size_t t = 0; t < CLI_SYNTAX_MAX && row->syntax[t]; t++)
			printf("%s%s", t ? " " : "", row->syntax[t]);
		printf("\n");
	}
	return 0;
}
