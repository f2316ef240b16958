/*
 * sgae/metrics.h - link-prediction metrics.
 *
 * Scores of positive pairs (true edges) and negative pairs (non-edges);
 * larger means "more likely an edge".
 *
 * ROC-AUC is exact: the probability that a random positive scores above a
 * random negative, ties counted half (the Mann-Whitney statistic, equal to
 * scikit-learn's roc_auc_score).
 *
 * Average precision is scikit-learn's step-wise definition
 *     AP = sum_k (R_k - R_{k-1}) P_k
 * over the distinct score thresholds in decreasing order, where P_k and R_k
 * are precision and recall when every pair scoring >= the k-th threshold is
 * called positive (R_0 = 0).  Tied scores enter together.
 */
#ifndef SGAE_METRICS_H
#define SGAE_METRICS_H

#include "sgae/export.h"

#include <stdint.h>

#include "sgae/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One scored pair for sgae_auc_ap_work. */
typedef struct {
    float score;
    int32_t label; /* 1 positive, 0 negative */
} sgae_scored;

/* AUC and AP of npos positive and nneg negative scores.  `work` holds at
 * least npos + nneg entries (no allocation).  With no positives or no
 * negatives both results are NaN.  A NaN score gives NaN results. */
SGAE_API void sgae_auc_ap_work(const float *pos, int64_t npos, const float *neg, int64_t nneg,
                      sgae_scored *work, double *auc, double *ap);

/* The same, allocating its own scratch.  Errors: SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_auc_ap(const float *pos, int64_t npos, const float *neg, int64_t nneg,
                        double *auc, double *ap);

#ifdef __cplusplus
}
#endif
#endif
