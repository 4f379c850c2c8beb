/*
 * DOC: what a view made a slice at a time says after each slice.
 *
 * The control socket streams a large `show` (a full BGP table, the routing table) by asking
 * its view for one slice per loop iteration (ctl.c); each view (ctl/show_bgp.h, core/core.h)
 * answers with one of these.
 */
#ifndef TERN_LIB_SHOW_STEP_H
#define TERN_LIB_SHOW_STEP_H

enum show_step {
	SHOW_STEP_MORE,   /* call again (the slice may have been empty) */
	SHOW_STEP_DONE,   /* the output is complete */
	SHOW_STEP_FAILED, /* the view ended early; its failure text says why */
};

#endif
