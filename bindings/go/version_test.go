package chunkbuf

import "testing"

func TestALibraryOfTheSameMajorAtLeastTheHeaderIsAccepted(t *testing.T) {
	cases := []struct {
		header, lib uint
		ok          bool
	}{
		{200, 200, true},
		{200, 201, true},    // a patch release
		{100, 200, true},    // a newer minor only adds functions
		{200, 100, false},   // older: may lack functions the binding calls
		{200, 10200, false}, // another major
		{10000, 200, false},
	}
	for _, c := range cases {
		if got := compatible(c.header, c.lib); got != c.ok {
			t.Errorf("compatible(%d, %d) = %v, want %v", c.header, c.lib, got, c.ok)
		}
	}
}
