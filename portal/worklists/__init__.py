"""What is waiting for each coordinator and chair: their home pages and the lists behind them."""
