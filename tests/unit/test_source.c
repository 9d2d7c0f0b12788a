/* test_source.c - the core of the live sources (src/ingest/source.c,
 * run.c, health.c, runner.c's partners in the store and the pipeline):
 * settings and credentials, the HTTP client against a libmicrohttpd server
 * of its own (conditional GET, gzip, redirects, 429 and Retry-After, 5xx,
 * size caps, timeouts, a stop from another thread, secrets kept out of
 * messages), cursors stored with their posts by the pipeline, a source's
 * health, and the [source NAME] sections of horch.conf. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#include "../../src/core/alloc.h"
#include "../../src/core/clock.h"
#include "../../src/core/conf.h"
#include "../../src/ingest/connector.h"
#include "../../src/ingest/ingest.h"
#include "../../src/pipeline/pipeline.h"
#include "../../src/store/store.h"

static const unsigned char gz_small[] = {31,139,8,0,0,0,0,0,2,3,75,206,207,45,40,74,45,46,78,77,81,72,202,79,169,212,81,40,205,75,201,207,75,85,72,170,84,40,201,72,85,72,206,201,76,205,43,1,0,253,129,218,128,37,0,0,0};

static const unsigned char gz_bomb[] = {31,139,8,0,0,0,0,0,2,3,237,193,1,1,0,0,0,130,32,255,175,110,72,64,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,124,27,106,64,71,17,0,0,64,0};


/* ---- the server ---- */

static struct MHD_Daemon *mhd;
static unsigned port;
static pthread_mutex_t hits_lock = PTHREAD_MUTEX_INITIALIZER;
static int hits;
static char last_ua[256], last_inm[128];

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static enum MHD_Result answer(struct MHD_Connection *con, unsigned status, const void *body,
			      size_t len, const char *const *headers)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body,
								    MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	for (size_t i = 0; headers && headers[i]; i += 2)
		MHD_add_response_header(resp, headers[i], headers[i + 1]);
	ret = MHD_queue_response(con, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *data_size, void **con_cls)
{
	const char *h;

	(void)cls;
	(void)method;
	(void)version;
	(void)data;
	(void)data_size;
	if (!*con_cls) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	pthread_mutex_lock(&hits_lock);
	hits++;
	h = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "User-Agent");
	snprintf(last_ua, sizeof last_ua, "%s", h ? h : "");
	h = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "If-None-Match");
	snprintf(last_inm, sizeof last_inm, "%s", h ? h : "");
	pthread_mutex_unlock(&hits_lock);
	if (!strcmp(url, "/feed")) {
		static const char *const hd[] = { "ETag", "\"v1\"", "Last-Modified",
						  "Sun, 22 Nov 2026 10:00:00 GMT", "Content-Type",
						  "application/rss+xml; charset=utf-8", "Link",
						  "<http://x/?page=2>; rel=\"next\"", NULL };
		h = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "If-None-Match");
		if (h && !strcmp(h, "\"v1\""))
			return answer(con, 304, "", 0, hd);
		return answer(con, 200, "hello", 5, hd);
	}
	if (!strcmp(url, "/gzip")) {
		static const char *const hd[] = { "Content-Encoding", "gzip", NULL };
		return answer(con, 200, gz_small, sizeof gz_small, hd);
	}
	if (!strcmp(url, "/bomb")) {
		static const char *const hd[] = { "Content-Encoding", "gzip", NULL };
		return answer(con, 200, gz_bomb, sizeof gz_bomb, hd);
	}
	if (!strcmp(url, "/redirect")) {
		static const char *const hd[] = { "Location", "/feed", NULL };
		return answer(con, 302, "", 0, hd);
	}
	if (!strcmp(url, "/loop")) {
		static const char *const hd[] = { "Location", "/loop", NULL };
		return answer(con, 302, "", 0, hd);
	}
	if (!strcmp(url, "/limit")) {
		static const char *const hd[] = { "Retry-After", "7", NULL };
		return answer(con, 429, "slow down", 9, hd);
	}
	if (!strcmp(url, "/limitdate")) {
		char date[64];
		time_t t = time(NULL) + 120;
		struct tm tm;
		const char *hd[] = { "Retry-After", date, NULL };

		gmtime_r(&t, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		return answer(con, 503, "", 0, hd);
	}
	if (!strcmp(url, "/busy"))
		return answer(con, 503, "", 0, NULL);
	if (!strcmp(url, "/error"))
		return answer(con, 500, "oops", 4, NULL);
	if (!strcmp(url, "/gone"))
		return answer(con, 410, "", 0, NULL);
	if (!strcmp(url, "/auth"))
		return answer(con, 401, "", 0, NULL);
	if (!strcmp(url, "/big")) {
		static char big[100000];

		memset(big, 'x', sizeof big);
		return answer(con, 200, big, sizeof big, NULL);
	}
	if (!strcmp(url, "/slow")) {
		sleep_ms(3000);
		return answer(con, 200, "late", 4, NULL);
	}
	return answer(con, 404, "", 0, NULL);
}

static void server_start(void)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	mhd = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
			       0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
			       (struct sockaddr *)&sa, MHD_OPTION_END);
	if (!mhd) {
		printf("Bail out! the server did not start\n");
		exit(1);
	}
	info = MHD_get_daemon_info(mhd, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : 0;
}

static char url_buf[256];

static const char *url(const char *path)
{
	snprintf(url_buf, sizeof url_buf, "http://127.0.0.1:%u%s", port, path);
	return url_buf;
}

/* A run of an rss source (any kind with a connector serves: only the
 * client is used here). */
static struct source_run *new_run(void)
{
	struct source_conf c;
	struct source_run *r;

	source_conf_init(&c);
	c.name = horch_xstrdup("t");
	c.kind = horch_xstrdup("rss");
	c.url = horch_xstrdup(url("/feed"));
	r = source_run_new(&c, NULL, NULL);
	source_conf_cleanup(&c);
	return r;
}

/* ---- settings ---- */

static void test_conf(void)
{
	struct source_conf c, d;
	struct horch_err err;
	char *json;

	source_conf_init(&c);
	is_int(c.enabled, 1, "conf-1.1 a new source is enabled");
	is_int(source_param_set(&c, "interval", "10m", &err), 0, "conf-1.2 interval 10m");
	is_int(c.interval, 600, "conf-1.3 is 600 s");
	is_int(source_param_set(&c, "interval", "2h", &err), 0, "conf-1.4 interval 2h");
	is_int(c.interval, 7200, "conf-1.5 is 7200 s");
	is_int(source_param_set(&c, "interval", "soon", &err), HORCH_EINVAL,
	       "conf-1.6 interval soon refused");
	ok(strstr(err.msg, "interval") != NULL, "conf-1.7 naming the key");
	is_int(source_param_set(&c, "interval", "0", &err), HORCH_EINVAL, "conf-1.8 interval 0");
	is_int(source_param_set(&c, "enabled", "no", &err), 0, "conf-1.9 enabled no");
	is_int(c.enabled, 0, "conf-1.10 disabled");
	is_int(source_param_set(&c, "enabled", "maybe", &err), HORCH_EINVAL, "conf-1.11 maybe");
	is_int(source_param_set(&c, "timeline", "tag:korvo", &err), 0, "conf-1.12 a key");
	is_int(source_param_set(&c, "timeline", "public", &err), 0, "conf-1.13 replaced");
	is_str(source_param(&c, "timeline"), "public", "conf-1.14 the new value");
	is_int((int)c.n_params, 1, "conf-1.15 once");
	is_int(source_param_set(&c, "Bad Key", "x", &err), HORCH_EINVAL, "conf-1.16 bad key");
	is_int(source_param_set(&c, "token", "env:HORCH_TEST_TOKEN", &err), 0, "conf-1.17 token");
	unsetenv("HORCH_TEST_TOKEN");
	ok(source_secret(&c, "token") == NULL, "conf-1.18 env:NAME unset: no secret");
	setenv("HORCH_TEST_TOKEN", "s3cret", 1);
	is_str(source_secret(&c, "token"), "s3cret", "conf-1.19 env:NAME read");
	ok(source_key_secret("token") && source_key_secret("client_secret") &&
	   source_key_secret("api_token") && source_key_secret("password") &&
	   !source_key_secret("timeline") && !source_key_secret("tokens"),
	   "conf-1.20 which keys are credentials");
	json = source_params_json(&c);
	is_str(json, "{\"timeline\":\"public\",\"token\":\"env:HORCH_TEST_TOKEN\"}",
	       "conf-1.21 params JSON");
	free(json);
	source_conf_copy(&d, &c);
	is_str(source_param(&d, "timeline"), "public", "conf-1.22 copied");
	source_conf_cleanup(&d);
	source_conf_cleanup(&c);
	ok(connector_find("rss") && connector_find("mastodon") && connector_find("bluesky") &&
	   connector_find("reddit") && connector_find("hn") && connector_find("reviews") &&
	   !connector_find("myspace"), "conf-1.23 the connectors");
}

/* The settings helpers the connectors share (source_int_param() and
 * its kin), with the messages every connector gives. */
static void test_params(void)
{
	struct source_conf c;
	struct horch_err err;
	int n, b;

	source_conf_init(&c);
	is_int(source_int_param(&c, "pages", 10, 1, 100, &n, &err), 0, "conf-2.1 not set");
	is_int(n, 10, "conf-2.2 the default");
	source_param_set(&c, "pages", "100", NULL);
	is_int(source_int_param(&c, "pages", 10, 1, 100, &n, &err), 0, "conf-2.3 at the top");
	is_int(n, 100, "conf-2.4 read");
	source_param_set(&c, "pages", "101", NULL);
	is_int(source_int_param(&c, "pages", 10, 1, 100, &n, &err), HORCH_EINVAL,
	       "conf-2.5 above the top");
	is_str(err.msg, "setting \"pages\": \"101\" is not a number from 1 to 100",
	       "conf-2.6 the message");
	source_param_set(&c, "pages", "10x", NULL);
	is_int(source_int_param(&c, "pages", 10, 1, 100, &n, NULL), HORCH_EINVAL,
	       "conf-2.7 not a number, without err");
	is_int(source_timeout_param(&c, 300, &n, &err), 0, "conf-2.8 no timeout");
	is_int(n, SOURCE_TIMEOUT_MS, "conf-2.9 SOURCE_TIMEOUT_MS");
	source_param_set(&c, "timeout", "5", NULL);
	is_int(source_timeout_param(&c, 300, &n, &err), 0, "conf-2.10 timeout 5");
	is_int(n, 5000, "conf-2.11 in ms");
	source_param_set(&c, "timeout", "0", NULL);
	is_int(source_timeout_param(&c, 300, &n, &err), HORCH_EINVAL, "conf-2.12 timeout 0");
	is_str(err.msg, "setting \"timeout\": \"0\" is not a number from 1 to 300",
	       "conf-2.13 the message");
	is_int(source_bool_param(&c, "stream", 0, &b, &err), 0, "conf-2.14 no stream");
	is_int(b, 0, "conf-2.15 the default");
	source_param_set(&c, "stream", "On", NULL);
	is_int(source_bool_param(&c, "stream", 0, &b, &err), 0, "conf-2.16 stream On");
	is_int(b, 1, "conf-2.17 yes");
	source_param_set(&c, "stream", "maybe", NULL);
	is_int(source_bool_param(&c, "stream", 0, &b, &err), HORCH_EINVAL, "conf-2.18 maybe");
	is_str(err.msg, "setting \"stream\": \"maybe\" is not yes or no", "conf-2.19 the message");
	source_conf_cleanup(&c);
}

/* ---- the HTTP client ---- */

struct stopper {
	struct source_run *r;
	long after_ms;
};

static void *stop_later(void *arg)
{
	struct stopper *s = arg;

	sleep_ms(s->after_ms);
	source_run_stop(s->r);
	return NULL;
}

static void test_fetch(void)
{
	struct source_run *r = new_run();
	struct source_resp resp;
	struct source_req req = { 0 };
	struct horch_err err;
	int64_t t0;
	int rc;

	source_resp_init(&resp);
	req.url = url("/feed");
	is_int(source_fetch(r, &req, &resp, &err), 0, "fetch-1.1 GET");
	is_int((int)resp.status, 200, "fetch-1.2 200");
	is_mem(resp.body.ptr, resp.body.len, "hello", "fetch-1.3 the body");
	is_str(resp.etag, "\"v1\"", "fetch-1.4 the ETag");
	is_str(resp.last_modified, "Sun, 22 Nov 2026 10:00:00 GMT", "fetch-1.5 Last-Modified");
	is_str(resp.content_type, "application/rss+xml; charset=utf-8", "fetch-1.6 Content-Type");
	is_str(resp.link, "<http://x/?page=2>; rel=\"next\"", "fetch-1.7 Link");
	ok(!strncmp(last_ua, "horch/", 6), "fetch-1.8 User-Agent horch/...");
	req.etag = "\"v1\"";
	is_int(source_fetch(r, &req, &resp, &err), 0, "fetch-1.9 conditional GET");
	is_int((int)resp.status, 304, "fetch-1.10 304 Not Modified");
	is_str(last_inm, "\"v1\"", "fetch-1.11 If-None-Match sent");
	is_int((int)resp.body.len, 0, "fetch-1.12 no body");
	req.etag = NULL;

	req.url = url("/gzip");
	is_int(source_fetch(r, &req, &resp, &err), 0, "fetch-2.1 gzip");
	is_str(resp.body.ptr, "compressed body, undone by the client", "fetch-2.2 decoded");
	req.url = url("/bomb");
	req.max_bytes = 65536;
	is_int(source_fetch(r, &req, &resp, &err), HORCH_ETOOBIG,
	       "fetch-2.3 a gzip bomb meets the cap of the decoded body");
	ok(strstr(err.msg, "more than 65536 bytes") != NULL, "fetch-2.4 says so: %s", err.msg);
	req.url = url("/big");
	is_int(source_fetch(r, &req, &resp, &err), HORCH_ETOOBIG, "fetch-2.5 a big body");
	req.max_bytes = 0;
	is_int(source_fetch(r, &req, &resp, &err), 0, "fetch-2.6 under the default cap");
	is_int((int)resp.body.len, 100000, "fetch-2.7 all of it");

	req.url = url("/redirect");
	is_int(source_fetch(r, &req, &resp, &err), 0, "fetch-3.1 a redirect is followed");
	is_int((int)resp.status, 200, "fetch-3.2 to the feed");
	is_str(resp.effective_url, url("/feed"), "fetch-3.3 the effective URL");
	req.url = url("/loop");
	is_int(source_fetch(r, &req, &resp, &err), HORCH_EIO, "fetch-3.4 a redirect loop ends");

	req.url = url("/limit");
	is_int(source_fetch(r, &req, &resp, &err), HORCH_ELIMIT, "fetch-4.1 429");
	is_int(resp.retry_after, 7, "fetch-4.2 Retry-After 7");
	is_int(source_run_retry(r), 7, "fetch-4.3 the run keeps it");
	req.url = url("/limitdate");
	rc = source_fetch(r, &req, &resp, &err);
	is_int(rc, HORCH_ELIMIT, "fetch-4.4 503 with an HTTP-date Retry-After");
	ok(resp.retry_after >= 115 && resp.retry_after <= 121, "fetch-4.5 about 120 s (%d)",
	   resp.retry_after);
	req.url = url("/busy");
	is_int(source_fetch(r, &req, &resp, &err), 0, "fetch-4.6 503 without Retry-After");
	is_int((int)resp.status, 503, "fetch-4.7 is the connector's to judge");
	is_int(source_http_error(&req, &resp, &err), HORCH_EIO, "fetch-4.8 an EIO");
	req.url = url("/error");
	is_int(source_fetch(r, &req, &resp, &err), 0, "fetch-4.9 500 returned");
	is_int(source_http_error(&req, &resp, &err), HORCH_EIO, "fetch-4.10 EIO");
	ok(strstr(err.msg, "HTTP 500") != NULL, "fetch-4.11 naming the status: %s", err.msg);
	req.url = url("/gone");
	source_fetch(r, &req, &resp, &err);
	is_int(source_http_error(&req, &resp, &err), HORCH_ENOTFOUND, "fetch-4.12 410 ENOTFOUND");
	req.url = url("/auth");
	source_fetch(r, &req, &resp, &err);
	is_int(source_http_error(&req, &resp, &err), HORCH_EDENIED, "fetch-4.13 401 EDENIED");

	/* Secrets in the query string or the user info stay out of messages. */
	snprintf(url_buf, sizeof url_buf, "http://user:pa55@127.0.0.1:%u/error?token=s3cret",
		 port);
	req.url = url_buf;
	source_fetch(r, &req, &resp, &err);
	source_http_error(&req, &resp, &err);
	ok(!strstr(err.msg, "s3cret") && !strstr(err.msg, "pa55") && strstr(err.msg, "/error"),
	   "fetch-5.1 no credential in the message: %s", err.msg);
	snprintf(url_buf, sizeof url_buf, "http://127.0.0.1:1/x?token=s3cret");
	req.url = url_buf;
	is_int(source_fetch(r, &req, &resp, &err), HORCH_EIO, "fetch-5.2 a closed port");
	ok(!strstr(err.msg, "s3cret"), "fetch-5.3 no credential in that message: %s", err.msg);
	req.url = "ftp://127.0.0.1/x";
	is_int(source_fetch(r, &req, &resp, &err), HORCH_EIO, "fetch-5.4 only http and https");

	req.url = url("/slow");
	req.timeout_ms = 300;
	t0 = horch_mono_ns();
	is_int(source_fetch(r, &req, &resp, &err), HORCH_EIO, "fetch-6.1 a timeout");
	ok(horch_mono_ns() - t0 < 2000000000LL, "fetch-6.2 within the timeout");
	req.timeout_ms = 0;
	{
		struct stopper s = { r, 200 };
		pthread_t th;

		pthread_create(&th, NULL, stop_later, &s);
		t0 = horch_mono_ns();
		is_int(source_fetch(r, &req, &resp, &err), HORCH_ESTOP,
		       "fetch-6.3 a stop from another thread ends a fetch");
		ok(horch_mono_ns() - t0 < 2000000000LL, "fetch-6.4 at once");
		pthread_join(th, NULL);
		ok(source_stopping(r), "fetch-6.5 the run is stopping");
		t0 = horch_mono_ns();
		is_int(source_sleep(r, 5000), 1, "fetch-6.6 a sleep of a stopped run returns 1");
		ok(horch_mono_ns() - t0 < 100000000LL, "fetch-6.7 at once");
	}
	source_resp_cleanup(&resp);
	source_run_free(r);

	{
		char path[] = "/tmp/horch-test-source-XXXXXX";
		int fd = mkstemp(path);
		char furl[128];

		if (write(fd, "from a file", 11) != 11)
			diag("short write");
		close(fd);
		r = new_run();
		source_resp_init(&resp);
		snprintf(furl, sizeof furl, "file://%s", path);
		req = (struct source_req){ .url = furl };
		is_int(source_fetch(r, &req, &resp, &err), 0, "fetch-7.1 file://");
		is_str(resp.body.ptr, "from a file", "fetch-7.2 its bytes");
		unlink(path);
		source_resp_cleanup(&resp);
		source_run_free(r);
	}
}

/* ---- cursors stored with their posts ---- */

static char dir[64];

static const char *tpath(const char *name)
{
	static char p[128];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

struct seen {
	const char *cursor;
	int64_t epoch;
	int64_t n_posts, posts_hour;
	int errors;
	int64_t last_ok;
	const char *last_error;
	char buf[512], ebuf[512];
};

static int see(void *ctx, const struct store_source *s)
{
	struct seen *x = ctx;

	snprintf(x->buf, sizeof x->buf, "%s", s->cursor);
	x->cursor = x->buf;
	x->epoch = s->cursor_epoch;
	x->n_posts = s->n_posts;
	x->posts_hour = s->posts_hour;
	x->errors = s->errors;
	x->last_ok = s->last_ok;
	snprintf(x->ebuf, sizeof x->ebuf, "%s", s->last_error ? s->last_error : "");
	x->last_error = x->ebuf;
	return 0;
}

static struct post *mkpost(int i)
{
	struct post *p = post_new();
	char id[32];

	snprintf(id, sizeof id, "p%d", i);
	p->source = horch_xstrdup("rss");
	p->external_id = horch_xstrdup(id);
	p->text = horch_xstrdup("a post about korvo");
	p->created_at = 1790000000000LL + i;
	return p;
}

static void test_cursor(void)
{
	struct store *st = NULL;
	struct pipeline *pl = NULL;
	struct pipeline_opts po = { .n_workers = 4, .batch_max = 64, .batch_ms = 5 };
	struct store_source s = { .name = "blog", .kind = "rss", .url = "http://x/feed",
				  .enabled = 1, .params = "{}" };
	struct seen x;
	struct horch_err err;
	int64_t id = 0, id2 = 0;
	char cur[32];

	is_int(store_open(&st, tpath("c.db"), NULL, &err), 0, "cursor-1.1 a store");
	is_int(store_source_put(st, &s, horch_now(), &id, &err), 0, "cursor-1.2 a source");
	s.name = "other";
	is_int(store_source_put(st, &s, horch_now(), &id2, &err), 0, "cursor-1.3 another");
	is_int(pipeline_new(&pl, st, &po, &err), 0, "cursor-1.4 a pipeline of 4 workers");
	for (int i = 0; i < 1000; i++) {
		pipeline_push_source(pl, mkpost(i), 0, id, (uint64_t)i + 1);
		if (i % 100 == 99) {
			snprintf(cur, sizeof cur, "c%d", i + 1);
			pipeline_push_cursor(pl, id, 0, cur, (uint64_t)i + 1);
		}
	}
	/* A cursor that covers posts never pushed is never stored. */
	pipeline_push_cursor(pl, id, 0, "ahead", 1001);
	/* A source without posts in this run: its cursor alone. */
	pipeline_push_cursor(pl, id2, 0, "only", 0);
	is_int(pipeline_finish(pl, NULL, &err), 0, "cursor-1.5 finished");
	pipeline_free(pl);
	store_source_get(st, "blog", horch_now(), see, &x, &err);
	is_str(x.cursor, "c1000", "cursor-1.6 the last cursor whose posts are all stored");
	is_int(x.n_posts, 1000, "cursor-1.7 its 1,000 new posts counted");
	is_int(x.posts_hour, 1000, "cursor-1.8 in this hour");
	store_source_get(st, "other", horch_now(), see, &x, &err);
	is_str(x.cursor, "only", "cursor-1.9 a cursor without posts is stored too");
	is_int(x.n_posts, 0, "cursor-1.10 with no posts");

	/* Again: the same posts are duplicates, counted as nothing new. */
	is_int(pipeline_new(&pl, st, &po, &err), 0, "cursor-2.1 a second pipeline");
	for (int i = 990; i < 1010; i++)
		pipeline_push_source(pl, mkpost(i), 0, id, (uint64_t)i - 989);
	pipeline_push_cursor(pl, id, 0, "c1010", 20);
	is_int(pipeline_finish(pl, NULL, &err), 0, "cursor-2.2 finished");
	pipeline_free(pl);
	store_source_get(st, "blog", horch_now(), see, &x, &err);
	is_str(x.cursor, "c1010", "cursor-2.3 moved");
	is_int(x.n_posts, 1010, "cursor-2.4 ten more new posts, the repeats not counted");

	/* Posts reach the writer in any order: a cursor waits for every post
	 * it covers, not for as many posts.  Posts 2..64 and the cursor
	 * covering 1..64 first, post 1 last. */
	{
		struct pipeline_opts one = { .n_workers = 1, .batch_max = 16, .batch_ms = 5 };
		struct store *rd = NULL;
		struct seen y;

		is_int(pipeline_new(&pl, st, &one, &err), 0, "cursor-3.1 a pipeline");
		for (int i = 2; i <= 64; i++)
			pipeline_push_source(pl, mkpost(2000 + i), 0, id2, (uint64_t)i);
		pipeline_push_cursor(pl, id2, 0, "upto64", 64);
		for (int i = 65; i <= 80; i++)
			pipeline_push_source(pl, mkpost(2000 + i), 0, id2, (uint64_t)i);
		store_open(&rd, tpath("c.db"), NULL, &err);
		for (int k = 0; k < 200; k++) {
			store_source_get(rd, "other", horch_now(), see, &y, &err);
			if (y.n_posts >= 79)
				break;
			sleep_ms(10);
		}
		is_int(y.n_posts, 79, "cursor-3.2 posts 2..80 are stored");
		is_str(y.cursor, "only", "cursor-3.3 but not the cursor: post 1 is missing");
		pipeline_push_source(pl, mkpost(2001), 0, id2, 1);
		is_int(pipeline_finish(pl, NULL, &err), 0, "cursor-3.4 post 1 comes");
		pipeline_free(pl);
		store_source_get(rd, "other", horch_now(), see, &y, &err);
		is_str(y.cursor, "upto64", "cursor-3.5 now the cursor is stored, with post 1");
		is_int(y.n_posts, 80, "cursor-3.6 80 posts");
		store_close(rd);
	}
	/* A cursor of an older epoch (the url changed meanwhile) is not
	 * stored. */
	{
		struct store_source o = { .name = "other", .kind = "rss", .url = "http://z/feed",
					  .enabled = 1, .params = "{}" };

		store_source_put(st, &o, horch_now(), NULL, &err);
		store_source_get(st, "other", horch_now(), see, &x, &err);
		is_str(x.cursor, "", "cursor-4.1 another url clears the cursor");
		is_int(pipeline_new(&pl, st, &po, &err), 0, "cursor-4.2 a pipeline");
		pipeline_push_cursor(pl, id2, 0, "old epoch", 0);
		pipeline_finish(pl, NULL, &err);
		pipeline_free(pl);
		store_source_get(st, "other", horch_now(), see, &x, &err);
		is_str(x.cursor, "", "cursor-4.3 the old run's cursor is not stored over it");
		is_int(pipeline_new(&pl, st, &po, &err), 0, "cursor-4.4 a pipeline");
		pipeline_push_cursor(pl, id2, 1, "new epoch", 0);
		pipeline_finish(pl, NULL, &err);
		pipeline_free(pl);
		store_source_get(st, "other", horch_now(), see, &x, &err);
		is_str(x.cursor, "new epoch", "cursor-4.5 the new run's is");
		store_source_set_cursor(st, "other", "", &err);
		store_source_get(st, "other", horch_now(), see, &x, &err);
		is_int((int)x.epoch, 2, "cursor-4.6 a reset raises the epoch");
	}
	/* Health reports. */
	{
		struct store_source_report rep = { horch_now(), 0, "GET http://x/feed: HTTP 500",
						   NULL };

		is_int(store_source_report(st, id, &rep, &err), 0, "health-1.1 a failure");
		store_source_report(st, id, &rep, &err);
		store_source_get(st, "blog", horch_now(), see, &x, &err);
		is_int(x.errors, 2, "health-1.2 two in a row");
		is_str(x.last_error, "GET http://x/feed: HTTP 500", "health-1.3 the last error");
		rep.ok = 1;
		store_source_report(st, id, &rep, &err);
		store_source_get(st, "blog", horch_now(), see, &x, &err);
		is_int(x.errors, 0, "health-1.4 a success ends the run of errors");
		ok(x.last_ok != HORCH_TIME_NONE, "health-1.5 last success set");
		is_int(store_source_report(st, 9999, &rep, &err), HORCH_ENOTFOUND,
		       "health-1.6 an unknown source");
	}
	/* Settings replaced keep the cursor; another url clears it. */
	s.name = "blog";
	s.interval = 60;
	store_source_put(st, &s, horch_now(), NULL, &err);
	store_source_get(st, "blog", horch_now(), see, &x, &err);
	is_str(x.cursor, "c1010", "source-1.1 a new interval keeps the cursor");
	s.url = "http://y/feed";
	store_source_put(st, &s, horch_now(), NULL, &err);
	store_source_get(st, "blog", horch_now(), see, &x, &err);
	is_str(x.cursor, "", "source-1.2 another url clears it");
	is_int(store_source_set_cursor(st, "blog", "again", &err), 0, "source-1.3 set a cursor");
	is_int(store_source_delete(st, "blog", &err), 0, "source-1.4 delete");
	is_int(store_source_get(st, "blog", horch_now(), see, &x, &err), HORCH_ENOTFOUND,
	       "source-1.5 gone");
	is_int(store_source_delete(st, "blog", &err), HORCH_ENOTFOUND, "source-1.6 twice");
	s.params = "[1]";
	is_int(store_source_put(st, &s, horch_now(), NULL, &err), HORCH_EINVAL,
	       "source-1.7 params must be an object");
	store_close(st);
}

/* ---- health ---- */

static void test_health(void)
{
	int64_t now = 1790000000000LL;
	struct store_source s = { .name = "b", .kind = "rss", .enabled = 1, .interval = 600,
				  .params = "{}", .last_poll = HORCH_TIME_NONE,
				  .last_ok = HORCH_TIME_NONE, .last_post = HORCH_TIME_NONE,
				  .last_error_at = HORCH_TIME_NONE,
				  .last_warning_at = HORCH_TIME_NONE };
	char why[256];

	is_int(source_health(&s, now, why, sizeof why), SOURCE_NEW, "state-1.1 new");
	s.last_poll = now - 60000;
	is_int(source_health(&s, now, why, sizeof why), SOURCE_OK, "state-1.2 ok");
	s.errors = 3;
	s.last_error = "GET http://x: HTTP 500";
	is_int(source_health(&s, now, why, sizeof why), SOURCE_ERRORING, "state-1.3 erroring");
	is_str(why, "3 failed fetches in a row: GET http://x: HTTP 500", "state-1.4 why");
	s.errors = 1;
	is_int(source_health(&s, now, why, sizeof why), SOURCE_OK, "state-1.5 one error is ok");
	s.errors = 0;
	s.baseline_hours = 48;
	s.baseline_hour = 4;
	s.posts_6h = 0;
	s.last_post = now - 7 * 3600000LL;
	is_int(source_health(&s, now, why, sizeof why), SOURCE_SILENT, "state-1.6 silent");
	is_str(why, "no post for 6 h; usually 4.0 an hour", "state-1.7 why");
	s.baseline_hour = 1;
	is_int(source_health(&s, now, why, sizeof why), SOURCE_OK,
	       "state-1.8 a quiet source is not silent");
	s.last_poll = now - 31 * 60000;
	is_int(source_health(&s, now, why, sizeof why), SOURCE_STALLED, "state-1.9 stalled");
	s.enabled = 0;
	is_int(source_health(&s, now, why, sizeof why), SOURCE_DISABLED, "state-1.10 disabled");
	s.enabled = 1;
	s.kind = "myspace";
	is_int(source_health(&s, now, why, sizeof why), SOURCE_ERRORING,
	       "state-1.11 an unknown kind");
	is_str(source_state_name(SOURCE_SILENT), "silent", "state-1.12 names");
}

/* ---- horch.conf ---- */

static int count_sources(void *ctx, const struct store_source *s)
{
	(void)s;
	(*(int *)ctx)++;
	return 0;
}

static void test_config(void)
{
	struct store *st = NULL;
	struct conf c = { 0 };
	struct horch_err err;
	FILE *f;
	int n = 0;

	store_open(&st, tpath("conf.db"), NULL, &err);
	f = fopen(tpath("horch.conf"), "w");
	fprintf(f, "[source blog]\nkind = rss\nurl = https://blog.example/feed.xml\n"
		"interval = 10m\n\n[source news]\nkind = rss\nurl = https://news.example/rss\n");
	fclose(f);
	is_int(conf_read(&c, tpath("horch.conf"), source_conf_keys(), &err), 0,
	       "config-1.1 [source NAME] sections are known");
	is_int(source_sync_config(st, &c, &err), 0, "config-1.2 stored");
	store_source_list(st, horch_now(), count_sources, &n, &err);
	is_int(n, 2, "config-1.3 two sources");
	conf_cleanup(&c);
	memset(&c, 0, sizeof c);
	f = fopen(tpath("horch.conf"), "w");
	fprintf(f, "[source blog]\nkind = rss\nurl = https://blog.example/feed.xml\n");
	fclose(f);
	conf_read(&c, tpath("horch.conf"), source_conf_keys(), &err);
	is_int(source_sync_config(st, &c, &err), 0, "config-1.4 again without news");
	n = 0;
	store_source_list(st, horch_now(), count_sources, &n, &err);
	is_int(n, 1, "config-1.5 news is gone");
	conf_cleanup(&c);
	memset(&c, 0, sizeof c);
	f = fopen(tpath("horch.conf"), "w");
	fprintf(f, "[source blog]\nkind = rss\nurl = https://blog.example/feed.xml\n\n"
		"[source odd]\nkind = myspace\n");
	fclose(f);
	conf_read(&c, tpath("horch.conf"), source_conf_keys(), &err);
	is_int(source_sync_config(st, &c, &err), HORCH_EINVAL, "config-1.6 an unknown kind");
	ok(strstr(err.msg, "horch.conf:6: [source odd]: kind \"myspace\" is not known") != NULL,
	   "config-1.7 naming the file, line and section: %s", err.msg);
	conf_cleanup(&c);
	memset(&c, 0, sizeof c);
	f = fopen(tpath("horch.conf"), "w");
	fprintf(f, "[source x]\nkind = rss\nwhatever = 1\n");
	fclose(f);
	is_int(conf_read(&c, tpath("horch.conf"), source_conf_keys(), &err), HORCH_EPARSE,
	       "config-1.8 a key no connector reads is refused");
	conf_cleanup(&c);
	store_close(st);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/horch-test-source-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("Bail out! no temporary directory\n");
		return 1;
	}
	server_start();
	test_conf();
	test_params();
	test_fetch();
	test_cursor();
	test_health();
	test_config();
	MHD_stop_daemon(mhd);
	{
		char cmd[128];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			diag("could not remove %s", dir);
	}
	return tap_done();
}
