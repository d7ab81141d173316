/* tiletext.h — what an instrument tile says about its last readings ("36,8 °C",
 * "123/78 mmHg · 87 /min"): which slot of a tile a reading fills, and the text.
 * Pure (no SDL, no I/O), unit-tested. Tiles: 0 thermometer, 1 blood pressure,
 * 2 pulse oximeter, 3 scale, 4 glucose meter (kiosk/ui/view.c order). */
#ifndef CABIN_APP_TILETEXT_H
#define CABIN_APP_TILETEXT_H

#include <stddef.h>
#include <stdint.h>

#define CAB_TILE_SLOTS 4

/* Slot (0..CAB_TILE_SLOTS-1) of tile TILE that a reading with full MDC code MDC
 * (IEEE 11073-10101) fills: thermometer body/tympanic temperature 0; blood
 * pressure systolic 0, diastolic 1, pulse 2; oximeter SpO2 0, pulse 1; scale body
 * weight 0; glucose 0. -1 when the tile does not show that code. */
int cab_tile_slot(int tile, uint32_t mdc);

/* Writes the text of tile TILE from its slot values VAL (NaN = unknown) into BUF
 * (SIZE bytes), decimals with a comma when LANG is "fr". "" when nothing is known.
 * Returns BUF. */
char *cab_tile_text(int tile, const double val[CAB_TILE_SLOTS], const char *lang, char *buf,
                    size_t size);

#endif
