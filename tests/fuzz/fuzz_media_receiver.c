/* fuzz_media_receiver.c — libFuzzer target for the receiving side
 * (kiosk/media/media_receiver.c): a sequence of messages, each "u16 big-endian
 * length, message", pushed into one receiver (at most 16), so gaps, codec changes,
 * configs, stills and H.264/Opus payloads reach the decoders in any order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/media/media_receiver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_video(void *user, const struct cab_media_video_frame *f)
{
	(void)user;
	/* touch the first and last byte of the picture: must be readable */
	volatile uint8_t a = f->data[0][0];
	volatile uint8_t b = f->data[0][(size_t)f->linesize[0] * (size_t)(f->height - 1)];
	(void)a;
	(void)b;
}

static void on_audio(void *user, const struct cab_media_audio_chunk *c)
{
	(void)user;
	if (c->nb_samples > 0) {
		volatile int16_t x = ((const int16_t *)c->samples)[c->nb_samples * c->channels - 1];
		(void)x;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cab_media_receiver_cfg cfg = {CAB_MEDIA_PIX_RGBA,
	                                     64,
	                                     36,
	                                     CAB_MEDIA_SAMPLE_S16,
	                                     16000,
	                                     1,
	                                     on_video,
	                                     on_audio,
	                                     NULL,
	                                     NULL,
	                                     NULL};
	struct cab_media_receiver *r = cab_media_receiver_new(&cfg);
	if (!r)
		return 0;
	size_t at = 0;
	for (int i = 0; i < 16 && at + 2 <= size; i++) {
		size_t n = ((size_t)data[at] << 8) | data[at + 1];
		at += 2;
		if (n > size - at)
			n = size - at;
		uint8_t *msg = malloc(n ? n : 1); /* exact-size copy: overreads are caught */
		if (!msg)
			break;
		memcpy(msg, data + at, n);
		cab_media_receiver_push(r, msg, n);
		free(msg);
		at += n;
	}
	cab_media_receiver_free(r);
	return 0;
}
