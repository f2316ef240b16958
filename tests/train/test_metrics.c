/* AUC (ties half) and step-wise AP against hand-computed cases and a
 * brute-force oracle on tie-heavy random scores. */
#include "testutil.h"

static void near(const char *what, double got, double want)
{
    CHECK_MSG(fabs(got - want) < 1e-12, "%s: got %.15g, want %.15g", what, got, want);
}

static void hand(void)
{
    double auc, ap;
    float p1[] = {0.9f, 0.8f}, n1[] = {0.1f, 0.2f};
    CHECK_OK(sgae_auc_ap(p1, 2, n1, 2, &auc, &ap));
    near("separable auc", auc, 1.0);
    near("separable ap", ap, 1.0);

    float p2[] = {0.5f}, n2[] = {0.5f};
    CHECK_OK(sgae_auc_ap(p2, 1, n2, 1, &auc, &ap));
    near("tie auc", auc, 0.5);
    near("tie ap", ap, 0.5); /* one threshold: precision 1/2, recall 1 */

    /* scikit-learn's documented example: y = [0 0 1 1], s = [.1 .4 .35 .8]:
     * roc_auc_score 0.75, average_precision_score 0.8333... */
    float p3[] = {0.35f, 0.8f}, n3[] = {0.1f, 0.4f};
    CHECK_OK(sgae_auc_ap(p3, 2, n3, 2, &auc, &ap));
    near("sklearn auc", auc, 0.75);
    near("sklearn ap", ap, 5.0 / 6.0);

    /* ties across classes: pos .8 .4 .4, neg .4 .1
     * AUC = (1 + 1 + .5 + 1 + .5 + 1) / 6 = 5/6
     * AP: t=.8: P=1, R=1/3; t=.4: P=3/4, R=1 -> 1/3 + 2/3 * 3/4 = 5/6 */
    float p4[] = {0.8f, 0.4f, 0.4f}, n4[] = {0.4f, 0.1f};
    CHECK_OK(sgae_auc_ap(p4, 3, n4, 2, &auc, &ap));
    near("ties auc", auc, 5.0 / 6.0);
    near("ties ap", ap, 5.0 / 6.0);

    /* inverted: pos .1, neg .9 .9 -> AUC 0; AP: t=.1: P=1/3, R=1 */
    float p5[] = {0.1f}, n5[] = {0.9f, 0.9f};
    CHECK_OK(sgae_auc_ap(p5, 1, n5, 2, &auc, &ap));
    near("inverted auc", auc, 0.0);
    near("inverted ap", ap, 1.0 / 3.0);

    /* all scores equal: AUC 1/2, AP = fraction of positives */
    float p6[] = {1, 1, 1}, n6[] = {1};
    CHECK_OK(sgae_auc_ap(p6, 3, n6, 1, &auc, &ap));
    near("flat auc", auc, 0.5);
    near("flat ap", ap, 0.75);

    CHECK_OK(sgae_auc_ap(p1, 2, n1, 0, &auc, &ap));
    CHECK(isnan(auc) && isnan(ap));
    float pn[] = {NAN};
    CHECK_OK(sgae_auc_ap(pn, 1, n1, 2, &auc, &ap));
    CHECK(isnan(auc) && isnan(ap));
}

/* Oracle: AUC by all pairs, AP by thresholds from the definition. */
static void brute(const float *p, int np, const float *q, int nq, double *auc, double *ap)
{
    double s = 0;
    for (int i = 0; i < np; i++)
        for (int j = 0; j < nq; j++)
            s += p[i] > q[j] ? 1.0 : (p[i] == q[j] ? 0.5 : 0.0);
    *auc = s / ((double)np * nq);
    /* distinct thresholds, descending */
    double a = 0, prev_r = 0;
    float t = INFINITY;
    for (;;) {
        float next = -INFINITY;
        int found = 0;
        for (int i = 0; i < np; i++)
            if (p[i] < t && (!found || p[i] > next)) {
                next = p[i];
                found = 1;
            }
        for (int j = 0; j < nq; j++)
            if (q[j] < t && (!found || q[j] > next)) {
                next = q[j];
                found = 1;
            }
        if (!found)
            break;
        int tp = 0, fp = 0;
        for (int i = 0; i < np; i++)
            tp += p[i] >= next;
        for (int j = 0; j < nq; j++)
            fp += q[j] >= next;
        double r = (double)tp / np;
        a += (r - prev_r) * ((double)tp / (tp + fp));
        prev_r = r;
        t = next;
    }
    *ap = a;
}

static void random_cases(void)
{
    for (int trial = 0; trial < 50; trial++) {
        int np = 1 + (int)sgae_rng_below(9, 1, (uint64_t)trial, 40);
        int nq = 1 + (int)sgae_rng_below(9, 2, (uint64_t)trial, 40);
        int levels = 1 + (int)sgae_rng_below(9, 3, (uint64_t)trial, 8);
        float p[40], q[40];
        for (int i = 0; i < np; i++)
            p[i] = (float)sgae_rng_below(9, 4, (uint64_t)(trial * 100 + i), (uint64_t)levels);
        for (int j = 0; j < nq; j++)
            q[j] = (float)sgae_rng_below(9, 5, (uint64_t)(trial * 100 + j), (uint64_t)levels);
        double auc, ap, bauc, bap;
        CHECK_OK(sgae_auc_ap(p, np, q, nq, &auc, &ap));
        brute(p, np, q, nq, &bauc, &bap);
        CHECK_MSG(fabs(auc - bauc) < 1e-12 && fabs(ap - bap) < 1e-12,
                  "trial %d: auc %g vs %g, ap %g vs %g", trial, auc, bauc, ap, bap);
    }
}

int main(void)
{
    hand();
    random_cases();
    return t_done("test_metrics");
}
