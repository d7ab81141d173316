/* mder.h — MDER (IEEE 11073-20601 Annex F, Medical Device Encoding Rules) reader
 * and writer: a cursor over a buffer that checks the remaining length before every
 * read, with a sticky error and a message naming the offset. Big-endian, fixed
 * widths; lists are {count u16, length u16, elements}. Internal: prefix ieee_. */
#ifndef CABIN_IEEE11073_MDER_H
#define CABIN_IEEE11073_MDER_H

#include <stddef.h>
#include <stdint.h>

/* Error codes of the 11073 layer (negative; 0 is success). */
enum ieee_err {
	IEEE_OK = 0,
	IEEE_E_TRUNCATED = -1,   /* a field runs past the end of its buffer/length */
	IEEE_E_LENGTH = -2,      /* a length contradicts another length */
	IEEE_E_LIMIT = -3,       /* a count or length from the wire exceeds Cabin's hard maximum */
	IEEE_E_INVALID = -4,     /* a value out of its domain (bad BCD, bad choice) */
	IEEE_E_UNSUPPORTED = -5, /* well formed but not something Cabin handles */
	IEEE_E_CONFIG = -6,      /* a configuration that contradicts itself or a report */
	IEEE_E_NOSPACE = -7      /* the output buffer is too small (writer) */
};

/* Reader: BUF[POS..END) is what is left; ERR is sticky (first error wins) and MSG
 * says what and where. After an error every read returns 0 and advances nothing. */
struct ieee_rd {
	const uint8_t *buf; /* start of the whole input (offsets in MSG are from here) */
	size_t pos;         /* next byte to read */
	size_t end;         /* end of the current element (entered lengths nest) */
	int err;            /* enum ieee_err, IEEE_OK while all went well */
	char msg[128];      /* human-readable reason of the first error */
};

/* Starts reading LEN bytes of BUF. */
void ieee_rd_init(struct ieee_rd *r, const uint8_t *buf, size_t len);
/* Bytes left in the current element. */
size_t ieee_rd_left(const struct ieee_rd *r);
/* Records the first error: CODE and a printf-style message (offset appended). */
void ieee_rd_fail(struct ieee_rd *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
uint8_t ieee_rd_u8(struct ieee_rd *r);
uint16_t ieee_rd_u16(struct ieee_rd *r);
uint32_t ieee_rd_u32(struct ieee_rd *r);
/* Returns a pointer to the next N bytes and skips them, or NULL (error set). */
const uint8_t *ieee_rd_bytes(struct ieee_rd *r, size_t n);
/* Enters an element of N bytes: reads stop at its end. Returns the value to give
 * to ieee_rd_leave(). WHAT names the element in the error message. */
size_t ieee_rd_enter(struct ieee_rd *r, size_t n, const char *what);
/* Leaves the element entered last: skips what is left of it, restores the outer end. */
void ieee_rd_leave(struct ieee_rd *r, size_t saved_end);
/* Reads a list header {count u16, length u16}, checks count <= MAX (IEEE_E_LIMIT)
 * and enters the LENGTH bytes. Returns the count (0 on error); *SAVED for leave. */
uint16_t ieee_rd_list(struct ieee_rd *r, uint16_t max, const char *what, size_t *saved);

/* Writer into a caller's buffer; ERR becomes IEEE_E_NOSPACE when it is full. */
struct ieee_wr {
	uint8_t *buf;
	size_t cap;  /* bytes available in BUF */
	size_t pos;  /* bytes written */
	int err;     /* sticky */
};

void ieee_wr_init(struct ieee_wr *w, uint8_t *buf, size_t cap);
void ieee_wr_u8(struct ieee_wr *w, uint8_t v);
void ieee_wr_u16(struct ieee_wr *w, uint16_t v);
void ieee_wr_u32(struct ieee_wr *w, uint32_t v);
void ieee_wr_bytes(struct ieee_wr *w, const uint8_t *p, size_t n);
/* Writes a 16-bit length placeholder; returns its position for ieee_wr_len_end(). */
size_t ieee_wr_len_begin(struct ieee_wr *w);
/* Patches the placeholder at MARK with the count of bytes written after it
 * (IEEE_E_NOSPACE if more than 65535). */
void ieee_wr_len_end(struct ieee_wr *w, size_t mark);

#endif
