package chunkbuf

import (
	"context"
	"errors"
	"time"
)

// pollInterval bounds each blocking C call made on behalf of a cancellable
// context.
//
// The C API has no way to wake one blocked call short of aborting the
// whole stream, so a Context variant waits in slices: it blocks in C for at
// most pollInterval (or until the context's deadline, if sooner), then
// checks the context and waits again. Cancellation is therefore noticed
// within pollInterval, a deadline is honoured to the millisecond, and a
// context that can never be cancelled (context.Background) waits in one
// call.
const pollInterval = 50 * time.Millisecond

// untilDone runs call with a C timeout in milliseconds (-1: forever) until
// it finishes for another reason than its slice running out, or until ctx
// is done, whose error is returned then.
func untilDone[T any](ctx context.Context, call func(timeoutMs int64) (T, error)) (T, error) {
	for {
		timeout, err := nextSlice(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		v, err := call(timeout)
		if timeout < 0 || !errors.Is(err, ErrTimeout) {
			return v, err
		}
	}
}

// nextSlice returns the timeout of the next wait under ctx.
func nextSlice(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if ctx.Done() == nil {
		return -1, nil
	}
	d := pollInterval
	if deadline, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(deadline))
	}
	return max(1, (d + time.Millisecond - 1).Milliseconds()), nil
}
