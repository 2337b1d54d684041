/** Go's sync package: Mutex, RWMutex, WaitGroup, Once, Cond, Pool, SyncMap. */
package dev.goloom.sync;
