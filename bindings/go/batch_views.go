package chunkbuf

// #include "cwrap.h"
import "C"

import "runtime"

// viewGroup allocates the Views of a Buffer's line batches in groups with
// one runtime cleanup per group instead of one per View: AddCleanup and
// Cleanup.Stop each take a runtime lock, and per batch they cost about as
// much as the batch's own C call. Release works as for any View. The
// safety net stays: once no View of a group is reachable, the group's
// cleanup releases every view in it that was not released, so a forgotten
// batch goes back to the pool with its group rather than on its own: once
// the group's last View has been handed out (the Buffer holds the group it
// is filling) and none of its Views is reachable.
type viewGroup struct {
	views []View // the current group's unused Views
	refs  []viewRef
}

// viewGroupLen is how many Views one group holds.
const viewGroupLen = 64

// newView is newView for a line batch (h nil stays nil).
func (g *viewGroup) newView(h *C.chunkbuf_view) *View {
	if h == nil {
		return nil
	}
	if len(g.views) == 0 {
		g.views = make([]View, viewGroupLen)
		g.refs = make([]viewRef, viewGroupLen)
		// &g.views[0] is the array's own address, so the cleanup runs
		// when no View of the group is reachable; refs is not reachable
		// from the views' array except through the Views themselves.
		runtime.AddCleanup(&g.views[0], releaseGroup, g.refs)
	}
	v, r := &g.views[0], &g.refs[0]
	g.views, g.refs = g.views[1:], g.refs[1:]
	if len(g.views) == 0 {
		// An empty slice still points into the array and would keep the
		// whole group reachable from the Buffer.
		g.views, g.refs = nil, nil
	}
	r.h = h
	v.r = r
	return v
}

// releaseGroup releases the views of a group that were never released.
func releaseGroup(refs []viewRef) {
	for i := range refs {
		r := &refs[i]
		if r.h != nil && r.released.CompareAndSwap(false, true) {
			r.release()
		}
	}
}
