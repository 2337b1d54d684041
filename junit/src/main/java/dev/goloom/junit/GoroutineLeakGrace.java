package dev.goloom.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How long {@link GoroutineLeakExtension} lets a test's goroutines take to finish after the test
 * method returns, before it calls them leaked. On a test method or class (the method's wins);
 * without it, {@code -Dgoloom.leak.graceMillis} or 1000 ms. 0 checks once, at once.
 *
 * {@snippet :
 * @ExtendWith(GoroutineLeakExtension.class)
 * @GoroutineLeakGrace(millis = 5000)   // the workers drain a slow queue on shutdown
 * class SlowShutdownTest { ... }
 * }
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface GoroutineLeakGrace {
    /** The grace period in milliseconds (at least 0). */
    long millis();
}
