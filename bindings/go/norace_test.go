//go:build !race

package chunkbuf

// raceEnabled: the race detector is on (it allocates on its own).
const raceEnabled = false
