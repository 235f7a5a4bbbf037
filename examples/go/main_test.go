package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	in := strings.Repeat("the quick brown fox\n", 1000) + "jumps over the lazy dog, at last"
	var out bytes.Buffer
	if err := run(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	want := "lines: 1001\nwords: 4007\nlongest: \"jumps over the lazy dog, at last\"\npool bytes in use: 0\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
}
