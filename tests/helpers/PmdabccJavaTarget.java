// A JVM for the JVM probe tests to follow. For each line on standard input
// it calls pmdabccUniquelyNamedMethod CALLS times, pmdabccSleepingMethod
// once (it sleeps SLEEP_MS milliseconds, a lower bound for its latency) and
// starts (and joins) THREADS threads, then prints "done"; it exits at the
// end of its input.
//   java -XX:+ExtendedDTraceProbes PmdabccJavaTarget CALLS THREADS
import java.io.BufferedReader;
import java.io.InputStreamReader;

public class PmdabccJavaTarget {
    static long sink;

    static long pmdabccUniquelyNamedMethod(long i) {
        return i * 31 + 7;
    }

    static final int SLEEP_MS = 20;

    static void pmdabccSleepingMethod() throws InterruptedException {
        Thread.sleep(SLEEP_MS);
    }

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (in.readLine() != null) {
            for (int i = 0; i < calls; i++) sink += pmdabccUniquelyNamedMethod(i);
            pmdabccSleepingMethod();
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> sink++);
                thread.start();
                thread.join();
            }
            System.out.println("done");
            System.out.flush();
        }
    }
}
