/* scorecard.h - being written: the launch scorecard (horch launch show,
 * GET /api/launches/{id}). */
#ifndef HORCH_HTTP_SCORECARD_H
#define HORCH_HTTP_SCORECARD_H
#endif
