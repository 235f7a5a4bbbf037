module chunkbuf.dev/chunkbuf

go 1.24
