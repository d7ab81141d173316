/* link_watch.c — link state for the service screens (see link_watch.h). */
#include "kiosk/service/link_watch.h"

#include <stdio.h>
#include <string.h>

void cab_link_watch_init(struct cab_link_watch *w, const char *url, const char *cert,
                         const char *ca)
{
	memset(w, 0, sizeof *w);
	pthread_mutex_init(&w->lock, NULL);
	snprintf(w->info.station_url, sizeof w->info.station_url, "%s", url ? url : "");
	snprintf(w->info.cert, sizeof w->info.cert, "%s", cert ? cert : "");
	snprintf(w->info.ca, sizeof w->info.ca, "%s", ca ? ca : "");
	w->info.rtt_ms = -1;
	w->info.throughput_kbps = -1;
}

void cab_link_watch_free(struct cab_link_watch *w)
{
	pthread_mutex_destroy(&w->lock);
}

void cab_link_watch_status(struct cab_link_watch *w, const struct cab_link_status *st)
{
	pthread_mutex_lock(&w->lock);
	w->info.connected = st->state == CAB_LINK_CONNECTED;
	if (st->state == CAB_LINK_CONNECTED)
		snprintf(w->info.state_text, sizeof w->info.state_text, "protocol version %d",
		         st->version);
	else
		snprintf(w->info.state_text, sizeof w->info.state_text, "%s",
		         st->message ? st->message : "");
	if (!w->info.connected)
		w->info.rtt_ms = -1;
	pthread_mutex_unlock(&w->lock);
}

void cab_link_watch_rtt(struct cab_link_watch *w, int64_t rtt_ms)
{
	pthread_mutex_lock(&w->lock);
	w->info.rtt_ms = (double)rtt_ms;
	pthread_mutex_unlock(&w->lock);
}

int cab_link_watch_provider(void *user, struct cab_svc_link *out)
{
	struct cab_link_watch *w = user;
	pthread_mutex_lock(&w->lock);
	*out = w->info;
	pthread_mutex_unlock(&w->lock);
	if (w->tput) {
		out->throughput_kbps = cab_tput_kbps(w->tput, &out->throughput_msgs);
		out->throughput_window_s = (int)(w->tput->window_ms / 1000);
	}
	return 0;
}
