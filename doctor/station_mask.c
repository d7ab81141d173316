/* station_mask.c — see station_mask.h. The hook: cabin-doctor defines SSL_read, which
 * the dynamic linker resolves for libwebsockets too (the executable's definition comes
 * first); it calls OpenSSL's own (dlsym RTLD_NEXT) and feeds what it read to the
 * follower attached to that SSL, if any. Connections not followed pay one ex_data
 * lookup per read. */
#include "doctor/station_mask.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

enum { S_HTTP, S_B0, S_B1, S_EXT, S_KEY, S_PAYLOAD };

int stn_mask_feed(struct stn_mask *m, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && !m->unmasked; i++) {
		unsigned char c = p[i];
		switch (m->state) {
		case S_HTTP:
			m->tail = m->tail << 8 | c;
			if (m->tail == 0x0d0a0d0aU)
				m->state = S_B0;
			break;
		case S_B0:
			m->frames++;
			m->state = S_B1;
			break;
		case S_B1:
			if (!(c & 0x80)) {
				m->unmasked = 1;
				break;
			}
			m->len = c & 0x7f;
			m->need = m->len == 126 ? 2 : m->len == 127 ? 8 : 0;
			if (m->need)
				m->len = 0;
			m->state = m->need ? S_EXT : S_KEY;
			if (!m->need)
				m->need = 4;
			break;
		case S_EXT:
			m->len = m->len << 8 | c;
			if (--m->need == 0) {
				m->state = S_KEY;
				m->need = 4;
			}
			break;
		case S_KEY:
			if (--m->need == 0) {
				m->left = m->len;
				m->state = m->left ? S_PAYLOAD : S_B0;
			}
			break;
		case S_PAYLOAD: {
			/* skip the rest of the payload at once */
			uint64_t take = n - i < m->left ? n - i : m->left;
			m->left -= take;
			i += take - 1;
			if (!m->left)
				m->state = S_B0;
			break;
		}
		}
	}
	return m->unmasked;
}

static int ex_index = -1;
static pthread_once_t ex_once = PTHREAD_ONCE_INIT;

static void ex_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	(void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
	free(ptr);
}

static void ex_init(void)
{
	ex_index = SSL_get_ex_new_index(0, "cabin-doctor mask follower", NULL, NULL, ex_free);
}

int stn_mask_follow(SSL *ssl)
{
	pthread_once(&ex_once, ex_init);
	if (ex_index < 0 || SSL_get_ex_data(ssl, ex_index))
		return ex_index < 0 ? -1 : 0;
	struct stn_mask *m = calloc(1, sizeof *m);
	if (!m)
		return -1;
	if (!SSL_set_ex_data(ssl, ex_index, m)) {
		free(m);
		return -1;
	}
	return 0;
}

int stn_mask_violated(SSL *ssl)
{
	if (ex_index < 0 || !ssl)
		return 0;
	struct stn_mask *m = SSL_get_ex_data(ssl, ex_index);
	return m && m->unmasked;
}

typedef int (*ssl_read_fn)(SSL *, void *, int);

/* OpenSSL's SSL_read, wrapped: see the file comment. */
int SSL_read(SSL *ssl, void *buf, int num)
{
	static ssl_read_fn real;
	if (!real)
		real = (ssl_read_fn)dlsym(RTLD_NEXT, "SSL_read");
	if (!real)
		return -1;
	int n = real(ssl, buf, num);
	if (n > 0 && ex_index >= 0) {
		struct stn_mask *m = SSL_get_ex_data(ssl, ex_index);
		if (m)
			stn_mask_feed(m, buf, (size_t)n);
	}
	return n;
}
