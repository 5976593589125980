// The f32-rnn family: recurrent cells (SimpleRNN, LSTM, GRU) one step at a time, their
// backward passes, and the batch-major ↔ time-major sequence passes (src/backend/kernels-rnn.ts).
export { f32_lstm_step, f32_lstm_step_grad } from './lstm';
export { f32_gru_reset, f32_gru_step, f32_gru_step_grad, f32_gru_reset_grad } from './gru';
export { f32_rnn_seq_in, f32_rnn_seq_out, f32_rnn_step, f32_rnn_step_grad, f32_rnn_dh } from './seq';
export { f32_rnn_mask_step, f32_rnn_mask_out, f32_rnn_mask_grad } from './mask';
