package tagger.worker.postprocess;

/**
 * The k best (index, score) pairs seen so far, kept in a bounded min-heap: O(n log k) over n
 * scores, without boxing and without sorting all of them. "Better" means a higher score, or the
 * same score and a lower index, so ties resolve by label order.
 */
final class TopScores {

    private final int[] index;
    private final double[] score;
    private int size;

    TopScores(int k) {
        index = new int[k];
        score = new double[k];
    }

    void offer(int i, double s) {
        if (size < index.length) {
            index[size] = i;
            score[size] = s;
            siftUp(size++);
        } else if (index.length > 0 && better(i, s, index[0], score[0])) {
            index[0] = i;
            score[0] = s;
            siftDown(0);
        }
    }

    int size() {
        return size;
    }

    /** Empties the heap into parallel arrays, best first. */
    void drainBestFirst(int[] indices, double[] scores) {
        for (int n = size - 1; n >= 0; n--) {      // the root is the worst kept: fill from the back
            indices[n] = index[0];
            scores[n] = score[0];
            size--;
            index[0] = index[size];
            score[0] = score[size];
            siftDown(0);
        }
    }

    private static boolean better(int i, double s, int j, double t) {
        return s > t || (s == t && i < j);
    }

    private void siftUp(int n) {
        while (n > 0) {
            int parent = (n - 1) / 2;
            if (!better(index[parent], score[parent], index[n], score[n])) {
                return;
            }
            swap(n, parent);
            n = parent;
        }
    }

    private void siftDown(int n) {
        while (true) {
            int worst = n;
            for (int child = 2 * n + 1; child <= 2 * n + 2 && child < size; child++) {
                if (better(index[worst], score[worst], index[child], score[child])) {
                    worst = child;
                }
            }
            if (worst == n) {
                return;
            }
            swap(n, worst);
            n = worst;
        }
    }

    private void swap(int a, int b) {
        int i = index[a];
        index[a] = index[b];
        index[b] = i;
        double s = score[a];
        score[a] = score[b];
        score[b] = s;
    }
}
