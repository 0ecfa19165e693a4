package longdep
import ("testing";"context";"github.com/tsf-go/tsf/models")
func TestSpeed(t *testing.T){
 for _, m := range []string{"lstm","rnn","gru"} {
  for _, T := range []int{50,100,200} {
   r, err := models.Bench(context.Background(), models.BenchConfig{Model:m, Input:2, Hidden:64, Seq:T, Batch:64, Threads:1, Steps:10, Warmup:2})
   if err!=nil {t.Fatal(err)}
   t.Logf("%s T=%d %.2f ms/step", m, T, r.MsStepMedian)
  }
 }
}
