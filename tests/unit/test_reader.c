/* Unit tests of the bounded reader and capped writer: the sticky error, sub-readers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/reader.h"
#include "lib/writer.h"

static void test_reads_in_order(void **state)
{
	(void)state;
	const uint8_t bytes[] = { 1, 0x02, 0x03, 0xa, 0xb, 0xc, 0xd };
	struct reader r = reader_make(bytes, sizeof(bytes));
	assert_int_equal(reader_u8(&r), 1);
	assert_int_equal(reader_u16(&r), 0x0203);
	assert_int_equal(reader_u32(&r), 0x0a0b0c0d);
	assert_true(reader_ok(&r));
	assert_true(reader_empty(&r));
}

static void test_overrun_is_sticky(void **state)
{
	(void)state;
	const uint8_t bytes[] = { 1, 2, 3 };
	struct reader r = reader_make(bytes, sizeof(bytes));
	assert_int_equal(reader_u32(&r), 0);
	assert_false(reader_ok(&r));
	/* Even a read that would fit now fails: the position is lost. */
	assert_int_equal(reader_u8(&r), 0);
	assert_int_equal(reader_remaining(&r), 0);
}

static void test_sub_reader_bounds(void **state)
{
	(void)state;
	const uint8_t bytes[] = { 2, 0xaa, 0xbb, 0xcc };
	struct reader r = reader_make(bytes, sizeof(bytes));
	uint8_t n = reader_u8(&r);
	struct reader sub = reader_sub(&r, n);
	assert_int_equal(reader_u16(&sub), 0xaabb);
	assert_int_equal(reader_u8(&sub), 0); /* past the sub-reader's end */
	assert_false(reader_ok(&sub));
	/* The outer reader is unaffected by the inner failure. */
	assert_true(reader_ok(&r));
	assert_int_equal(reader_u8(&r), 0xcc);

	struct reader r2 = reader_make(bytes, sizeof(bytes));
	struct reader too_long = reader_sub(&r2, 10);
	assert_false(reader_ok(&too_long));
	assert_false(reader_ok(&r2));
}

static void test_writer_caps(void **state)
{
	(void)state;
	uint8_t buf[5];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t at = writer_reserve(&w, 2);
	assert_true(writer_u16(&w, 0x1234));
	writer_patch_u16(&w, at, 0xbeef);
	assert_true(writer_ok(&w));
	assert_int_equal(buf[0], 0xbe);
	assert_int_equal(buf[3], 0x34);
	assert_false(writer_u16(&w, 1));
	assert_false(writer_ok(&w));
	assert_false(writer_u8(&w, 1)); /* sticky */
	assert_int_equal(w.len, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_in_order),
		cmocka_unit_test(test_overrun_is_sticky),
		cmocka_unit_test(test_sub_reader_bounds),
		cmocka_unit_test(test_writer_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
