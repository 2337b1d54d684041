/** Go's time package: sleep, timers and tickers with Go 1.23 channel semantics. */
package dev.goloom.time;
