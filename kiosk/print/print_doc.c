/* print_doc.c — PostScript pages of the prescription: A4 (595 x 842 pt), Helvetica
 * re-encoded to ISO Latin-1 so French accents print, the QR code drawn module by module
 * from libqrencode's matrix (ISO/IEC 18004, error correction M, 4-module quiet zone).
 * ISOLatin1Encoding puts /minus at 0x2D and /quoteright at 0x27: the copy puts back the
 * ASCII hyphen and quote, so the identifier reads (and copies) exactly. */
#include "kiosk/print/print_doc.h"

#include <qrencode.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOC_MAX (256 * 1024) /* a page never needs more */

struct buf {
	char *p;
	size_t len, cap;
	int bad;
};

__attribute__((format(printf, 2, 3))) static void put(struct buf *b, const char *fmt, ...)
{
	if (b->bad)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len)
		b->bad = 1;
	else
		b->len += (size_t)n;
}

/* S (UTF-8) as a PostScript string literal in Latin-1: ( ) \ escaped, bytes >= 0x80
 * and control characters as octal escapes; code points above U+00FF become '?'. */
static void put_text(struct buf *b, const char *s)
{
	put(b, "(");
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	while (*u && !b->bad) {
		unsigned cp;
		if (*u < 0x80) {
			cp = *u++;
		} else if ((*u & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80) {
			cp = ((unsigned)(*u & 0x1F) << 6) | (u[1] & 0x3F);
			u += 2;
		} else {
			cp = '?';
			u++;
			while ((*u & 0xC0) == 0x80)
				u++;
		}
		if (cp == '(' || cp == ')' || cp == '\\')
			put(b, "\\%c", (char)cp);
		else if (cp < 0x20 || cp >= 0x7F)
			put(b, "\\%03o", cp > 0xFF ? (unsigned)'?' : cp);
		else
			put(b, "%c", (char)cp);
	}
	put(b, ")");
}

static void line(struct buf *b, int x, int y, const char *font, int size, const char *text)
{
	put(b, "/%s %d selectfont %d %d moveto ", font, size, x, y);
	put_text(b, text);
	put(b, " show\n");
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

char *cab_print_prescription(json_t *rx, const char *patient_name, const char *birth_date,
                             size_t *len)
{
	const char *id = str(rx, "id");
	if (!*id)
		return NULL;
	QRcode *qr = QRcode_encodeString(id, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return NULL;
	struct buf b = {malloc(DOC_MAX), 0, DOC_MAX, 0};
	if (!b.p) {
		QRcode_free(qr);
		return NULL;
	}
	json_t *doc = json_object_get(rx, "doctor");
	char t[600];
	put(&b, "%%!PS-Adobe-3.0\n%%%%Pages: 1\n%%%%DocumentMedia: A4 595 842 0 () ()\n%%%%EndComments\n");
	/* Helvetica with ISO Latin-1 encoding under the names /HL and /HLB */
	put(&b, "/relatin { findfont dup length dict begin { 1 index /FID ne { def } { pop pop }"
	        " ifelse } forall /Encoding ISOLatin1Encoding 256 array copy dup 45 /hyphen put"
	        " dup 39 /quotesingle put def currentdict end definefont pop }"
	        " def\n/HL /Helvetica relatin /HLB /Helvetica-Bold relatin\n");
	put(&b, "%%%%Page: 1 1\n<< /PageSize [595 842] >> setpagedevice\n");
	line(&b, 56, 780, "HLB", 16, str(doc, "name"));
	line(&b, 56, 760, "HL", 11, str(doc, "specialty"));
	snprintf(t, sizeof t, "RPPS %s", str(doc, "rpps"));
	line(&b, 56, 744, "HL", 11, t);
	snprintf(t, sizeof t, "Téléconsultation du %s", str(rx, "date"));
	line(&b, 360, 780, "HL", 11, t);
	snprintf(t, sizeof t, "Patient : %s", patient_name ? patient_name : "");
	line(&b, 56, 700, "HLB", 12, t);
	snprintf(t, sizeof t, "Né(e) le %s", birth_date ? birth_date : "");
	line(&b, 56, 684, "HL", 11, t);
	line(&b, 56, 650, "HLB", 13, "Ordonnance");
	int y = 626;
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(rx, "lines"), i, l)
	{
		if (y < 260)
			break; /* one page; the platform holds the whole prescription */
		line(&b, 56, y, "HLB", 11, str(l, "medicine"));
		snprintf(t, sizeof t, "%s%s%s", str(l, "dose"), *str(l, "duration") ? " - " : "",
		         str(l, "duration"));
		line(&b, 72, y - 15, "HL", 10, t);
		if (*str(l, "text")) {
			line(&b, 72, y - 29, "HL", 10, str(l, "text"));
			y -= 14;
		}
		y -= 40;
	}
	if (*str(rx, "advice")) {
		line(&b, 56, y, "HLB", 11, "Conseils");
		line(&b, 56, y - 15, "HL", 10, str(rx, "advice"));
	}
	/* QR code of the identifier, bottom right, 3 pt modules, 4-module quiet zone */
	int m = 3, w = qr->width, x0 = 595 - 56 - (w + 8) * m, y0 = 90;
	put(&b, "1 setgray %d %d %d %d rectfill 0 setgray\n", x0, y0, (w + 8) * m, (w + 8) * m);
	for (int r = 0; r < w; r++)
		for (int c = 0; c < w; c++)
			if (qr->data[r * w + c] & 1)
				put(&b, "%d %d %d %d rectfill\n", x0 + (c + 4) * m, y0 + (w + 3 - r) * m, m, m);
	line(&b, 56, 96, "HL", 9, "Identifiant unique de l'ordonnance :");
	line(&b, 56, 82, "HL", 9, id);
	put(&b, "showpage\n%%%%EOF\n");
	QRcode_free(qr);
	if (b.bad) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}
