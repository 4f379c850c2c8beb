/* DOC: unit tests of the one IOS-to-Linux interface name rule (lib/ifname.h, DESIGN.md "The lab"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/ifname.h"

struct mapping {
	const char *typed, *linux_name, *ios_name;
};

static void check(const struct mapping *m, bool is_ios)
{
	struct ifname n;
	assert_true(ifname_parse(m->typed, &n));
	assert_string_equal(n.linux_name, m->linux_name);
	assert_string_equal(n.ios_name, m->ios_name);
	assert_int_equal(n.is_ios, is_ios);
}

static void test_ios_names_map(void **state)
{
	(void)state;
	static const struct mapping cases[] = {
		{ "f0/0", "f0-0", "FastEthernet0/0" },
		{ "fa0/0", "f0-0", "FastEthernet0/0" },
		{ "FastEthernet0/0", "f0-0", "FastEthernet0/0" },
		{ "fastethernet1/0", "f1-0", "FastEthernet1/0" },
		{ "F1/0", "f1-0", "FastEthernet1/0" },
		{ "g0/1", "g0-1", "GigabitEthernet0/1" },
		{ "Gi0/1", "g0-1", "GigabitEthernet0/1" },
		{ "GigabitEthernet0/1", "g0-1", "GigabitEthernet0/1" },
		{ "t0/0/1", "t0-0-1", "TenGigabitEthernet0/0/1" },
		{ "Te0/0/1", "t0-0-1", "TenGigabitEthernet0/0/1" },
		{ "e0", "e0", "Ethernet0" },
		{ "Ethernet1/0", "e1-0", "Ethernet1/0" },
		{ "s0/0", "s0-0", "Serial0/0" },
		{ "Serial0/0", "s0-0", "Serial0/0" },
		{ "f0/0.10", "f0-0.10", "FastEthernet0/0.10" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i], true);
}

static void test_loopbacks_live_on_lo(void **state)
{
	(void)state;
	struct ifname n;
	assert_true(ifname_parse("lo0", &n));
	assert_string_equal(n.linux_name, "lo");
	assert_string_equal(n.ios_name, "Loopback0");
	assert_true(n.is_loopback);
	assert_int_equal(n.loopback_number, 0);
	assert_true(ifname_parse("Loopback1", &n));
	assert_string_equal(n.linux_name, "lo");
	assert_int_equal(n.loopback_number, 1);
	assert_true(ifname_parse("LOOPBACK12", &n));
	assert_string_equal(n.ios_name, "Loopback12");
	assert_int_equal(n.loopback_number, 12);
	/* a loopback has no slots or subinterfaces */
	assert_false(ifname_parse("lo0/1", &n));
	assert_false(ifname_parse("Loopback0.1", &n));
}

static void test_linux_names_pass_through(void **state)
{
	(void)state;
	static const struct mapping cases[] = {
		{ "eth0", "eth0", "eth0" },
		{ "veth1", "veth1", "veth1" },
		{ "ens3", "ens3", "ens3" },
		{ "f0-0", "f0-0", "f0-0" },
		{ "lo", "lo", "lo" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i], false);
	struct ifname n;
	assert_true(ifname_parse("lo", &n));
	assert_true(n.is_loopback);
	assert_true(ifname_parse("eth0", &n));
	assert_false(n.is_loopback);
}

static void test_bad_names_rejected(void **state)
{
	(void)state;
	static const char *bad[] = {
		"",                        /* empty */
		"f0/",                     /* unit ends in a separator */
		"f0//1",
		"f/0",                     /* no digit after the letters */
		"x0/0",                    /* unknown kind with a '/': not a Linux name either */
		"eth 0",                   /* blank */
		"a:b",                     /* ':' separates node and interface in a lab */
		"averyveryverylongname0",  /* 16+ bytes: too long for Linux */
		".", "..",
		"f0/0.1.2",                /* one subinterface dot only */
	};
	struct ifname n;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&n, 0x5a, sizeof(n));
		assert_false(ifname_parse(bad[i], &n));
	}
}

static void test_linux_name_fits_ifnamsiz(void **state)
{
	(void)state;
	struct ifname n;
	/* "t" + 14 more bytes = 15: the longest Linux name */
	assert_true(ifname_parse("t1/2/3/4/5/6/78", &n));
	assert_string_equal(n.linux_name, "t1-2-3-4-5-6-78");
	assert_true(strlen(n.linux_name) < IFNAME_LINUX_MAX);
	/* one byte more no longer fits */
	assert_false(ifname_parse("t1/2/3/4/5/6/789", &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ios_names_map),
		cmocka_unit_test(test_loopbacks_live_on_lo),
		cmocka_unit_test(test_linux_names_pass_through),
		cmocka_unit_test(test_bad_names_rejected),
		cmocka_unit_test(test_linux_name_fits_ifnamsiz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
