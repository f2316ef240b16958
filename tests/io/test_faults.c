/* Write faults in every writer of src/io: with the k-th operation of the
 * file helper failing with ENOSPC (k = 1 .. the operations of a successful
 * run), each writer returns SGAE_E_IO naming its path and leaves the
 * previous file byte-identical (the new one only when the last operation,
 * the directory fsync, fails) and no temporary file.  Karate (GML) as the
 * data. */
#include "core/sweep.h"
#include "iotest.h"

static sgae_status save(void *vctx) { return t_save_job(vctx, NULL); }

static const char prev[] = "previous content that must survive\n";

int main(void)
{
    const char *dir = t_tmp_init("faults");
    sgae_dataset karate;
    if (!t_load_karate(&karate))
        return t_done("io_faults");
    const sgae_graph *kg = karate.graph;
    sgae_labels kl = *karate.labels; /* as indices: the names hold spaces */
    kl.class_names = NULL;
    float x[34 * 3];
    for (int i = 0; i < 34 * 3; i++)
        x[i] = (float)i / 7.0f;

    struct {
        const char *what;
        save_job j;
    } w[] = {
        {".sgr writer", {kg, NULL, t_tmp("w.sgr"), NULL, NULL, 0}},
        {"edge list writer", {kg, NULL, t_tmp("w.txt"), NULL, NULL, 1}},
        {"edge list writer (.gz)", {kg, NULL, t_tmp("w.txt.gz"), NULL, NULL, 1}},
        {"edge list writer (.zst)", {kg, NULL, t_tmp("w.txt.zst"), NULL, NULL, 1}},
        {"labels writer", {kg, &kl, t_tmp("w.labels"), NULL, NULL, 2}},
        {".npy writer", {kg, NULL, t_tmp("w.npy"), NULL, x, 3}},
        {"id map writer", {kg, NULL, t_tmp("w.ids.tsv"), NULL, x, 4}},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        t_fault_sweep(w[i].what, save, &w[i].j, w[i].j.path, dir, prev, strlen(prev));

    /* .npy + id map together: both previous, but the id map new when the
     * rename of the .npy fails, and both new when the directory fsync does */
    {
        save_job j = {kg, NULL, t_tmp("p.npy"), t_tmp("p.ids.tsv"), x, 5};
        sgae_file_fail_at(0, 0);
        CHECK_OK(save(&j));
        int64_t count = sgae_file_op_count();
        size_t la, lb;
        char *na = t_slurp(j.path, &la), *nb = t_slurp(j.path2, &lb);
        int bad = 0;
        for (int64_t k = 1; k <= count; k++) {
            t_write(j.path, "old npy", 7);
            t_write(j.path2, "old ids", 7);
            sgae_file_fail_at(k, ENOSPC);
            sgae_status st = save(&j);
            sgae_file_fail_at(0, 0);
            int a_new = k == count, b_new = k >= count - 1;
            int ok = st == SGAE_E_IO && t_count_files(dir, ".tmp.") == 0 &&
                     (a_new ? t_same_file(j.path, na, la)
                            : t_same_file(j.path, "old npy", 7)) &&
                     (b_new ? t_same_file(j.path2, nb, lb)
                            : t_same_file(j.path2, "old ids", 7));
            if (!ok && bad++ < 5)
                fprintf(stderr, "npy + ids: operation %lld of %lld: %s\n", (long long)k,
                        (long long)count, sgae_last_error());
        }
        CHECK_INT(bad, 0);
        printf(".npy + id map writer: %lld file operations, each fault clean\n",
               (long long)count);
        free(na);
        free(nb);
    }

    /* a bad destination fails at once and names it */
    CHECK_INT(sgae_sgr_save(kg, dir, NULL), SGAE_E_IO);
    CHECK(strstr(sgae_last_error(), dir) && strstr(sgae_last_error(), "directory"));
    CHECK_INT(sgae_npy_save(t_tmp("none/x.npy"), x, 34, 3), SGAE_E_IO);
    CHECK(strstr(sgae_last_error(), "none/x.npy") != NULL);

    sgae_dataset_clear(&karate);
    t_tmp_cleanup();
    return t_done("io_faults");
}
