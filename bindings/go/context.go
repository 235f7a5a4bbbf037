package chunkbuf

import (
	"context"
	"errors"
	"time"
)

// writePoll bounds each wait of WriteContext for back-pressure.
//
// A write has no cancel token in the C API (reads do, see arm in wait.go),
// so WriteContext waits in slices: at most writePoll in C (or until the
// context's deadline, if sooner), then it checks the context and waits
// again. A context that can never be cancelled waits in one call.
const writePoll = 50 * time.Millisecond

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
	d := writePoll
	if deadline, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(deadline))
	}
	return max(1, (d + time.Millisecond - 1).Milliseconds()), nil
}
