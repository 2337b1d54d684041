package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.sync.WaitGroup;
import java.io.PrintStream;

/**
 * Ping-pong (Sameer Ajmani's "Advanced Go Concurrency Patterns"): two players hit one ball
 * back and forth over an unbuffered channel; each hit hands the ball, and the turn, over.
 *
 * {@snippet lang="go" :
 * table := make(chan *Ball)
 * go player("ping", table)
 * go player("pong", table)
 * table <- new(Ball)
 * }
 */
public final class PingPong {
    private PingPong() {
    }

    /** The ball: how many times it has been hit. */
    static final class Ball {
        int hits;
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Go.main(() -> {
            Chan<Ball> table = Chan.make();
            Chan<Ball> over = Chan.make();
            WaitGroup players = new WaitGroup();
            players.go(() -> player(out, "ping", table, over, rounds));
            players.go(() -> player(out, "pong", table, over, rounds));
            table.send(new Ball());                 // serve
            Ball ball = over.recv();                // the player that made the last hit hands it back
            table.close();                          // game over: the other player leaves
            players.await();
            out.println("ball hit " + ball.hits + " times");
        });
    }

    static void player(PrintStream out, String name, Chan<Ball> table, Chan<Ball> over, int rounds) {
        for (Ball ball : table) {                   // for ball := range table
            ball.hits++;
            out.println(name + " " + ball.hits);
            if (ball.hits == rounds) {
                over.send(ball);
                return;
            }
            table.send(ball);
        }
    }
}
