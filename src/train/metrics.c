/* ROC-AUC (ties counted half) and step-wise average precision. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "sgae/metrics.h"

/* Descending score; ties by label so the order is total (the metrics treat
 * a tie group as one threshold, so this does not change the results). */
static int cmp_desc(const void *a, const void *b)
{
    const sgae_scored *x = a, *y = b;
    if (x->score > y->score)
        return -1;
    if (x->score < y->score)
        return 1;
    return (x->label < y->label) - (x->label > y->label);
}

void sgae_auc_ap_work(const float *pos, int64_t npos, const float *neg, int64_t nneg,
                      sgae_scored *work, double *auc, double *ap)
{
    *auc = *ap = NAN;
    if (npos <= 0 || nneg <= 0)
        return;
    int64_t m = npos + nneg;
    for (int64_t k = 0; k < npos; k++) {
        if (isnan(pos[k]))
            return;
        work[k].score = pos[k];
        work[k].label = 1;
    }
    for (int64_t k = 0; k < nneg; k++) {
        if (isnan(neg[k]))
            return;
        work[npos + k].score = neg[k];
        work[npos + k].label = 0;
    }
    qsort(work, (size_t)m, sizeof *work, cmp_desc);
    /* walk tie groups from the top: tp, fp counts above the group */
    double tp = 0, fp = 0, sum_ap = 0, pairs_above = 0;
    for (int64_t a = 0; a < m;) {
        int64_t b = a;
        double gp = 0, gn = 0;
        while (b < m && work[b].score == work[a].score) {
            if (work[b].label)
                gp++;
            else
                gn++;
            b++;
        }
        /* AUC: each negative of the group is beaten by the positives above it
         * and ties with the group's positives */
        pairs_above += gn * (tp + 0.5 * gp);
        tp += gp;
        fp += gn;
        if (gp > 0)
            sum_ap += (gp / (double)npos) * (tp / (tp + fp));
        a = b;
    }
    *auc = pairs_above / ((double)npos * (double)nneg);
    *ap = sum_ap;
}

sgae_status sgae_auc_ap(const float *pos, int64_t npos, const float *neg, int64_t nneg,
                        double *auc, double *ap)
{
    sgae_scored *w = sgae_alloc((size_t)(npos + nneg), sizeof *w, "metric scratch");
    if (!w) {
        *auc = *ap = NAN;
        return SGAE_E_NOMEM;
    }
    sgae_auc_ap_work(pos, npos, neg, nneg, w, auc, ap);
    free(w);
    return SGAE_OK;
}
