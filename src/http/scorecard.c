/* scorecard.c - being written (scorecard.h). */
#include "scorecard.h"
