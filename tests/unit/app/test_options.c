/* test_options.c — the cabin program's command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/app/options.h"

static int parse(struct cab_options *o, char *err, int argc, ...)
{
	char *argv[16] = {"cabin"};
	va_list ap;
	va_start(ap, argc);
	for (int i = 1; i < argc && i < 16; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	return cab_options_parse(argc, argv, o, err, 128);
}

static void defaults(void **state)
{
	(void)state;
	struct cab_options o;
	char err[128];
	assert_int_equal(parse(&o, err, 1), 0);
	assert_false(o.windowed);
	assert_string_equal(o.lang, "fr");
	assert_null(o.render_dir);
	assert_null(o.state_log);
	assert_false(o.sim);
}

static void all_options(void **state)
{
	(void)state;
	struct cab_options o;
	char err[128];
	assert_int_equal(parse(&o, err, 10, "--windowed", "1080x1920", "--state-log", "/tmp/s.log",
	                       "--lang", "en", "--sim", "--render-screens", "out"),
	                 0);
	assert_true(o.windowed);
	assert_int_equal(o.win_w, 1080);
	assert_int_equal(o.win_h, 1920);
	assert_string_equal(o.state_log, "/tmp/s.log");
	assert_string_equal(o.lang, "en");
	assert_true(o.sim);
	assert_string_equal(o.render_dir, "out");
	assert_int_equal(parse(&o, err, 2, "--version"), 0);
	assert_true(o.version);
	assert_int_equal(parse(&o, err, 2, "--help"), 0);
	assert_true(o.help);
}

static void errors(void **state)
{
	(void)state;
	struct cab_options o;
	char err[128];
	assert_int_equal(parse(&o, err, 2, "--windowed"), -1);
	assert_string_equal(err, "--windowed needs a value");
	assert_int_equal(parse(&o, err, 3, "--windowed", "1280"), -1);
	assert_int_equal(parse(&o, err, 3, "--windowed", "100x100"), -1);
	assert_int_equal(parse(&o, err, 3, "--windowed", "1280x800x"), -1);
	assert_int_equal(parse(&o, err, 3, "--lang", "de"), -1);
	assert_string_equal(err, "--lang: expected fr or en, got 'de'");
	assert_int_equal(parse(&o, err, 2, "--bogus"), -1);
	assert_string_equal(err, "unknown option '--bogus' (try --help)");
	int w, h;
	assert_int_equal(cab_options_parse_size("1920X1080", &w, &h), 0);
	assert_int_equal(w, 1920);
	assert_int_equal(h, 1080);
	assert_int_equal(cab_options_parse_size("x800", &w, &h), -1);
	assert_int_equal(cab_options_parse_size("9000x800", &w, &h), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults),
	    cmocka_unit_test(all_options),
	    cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
