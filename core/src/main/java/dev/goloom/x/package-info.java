/** The patterns of golang.org/x (errgroup, semaphore, singleflight, rate) and common pipelines. */
package dev.goloom.x;
