"""What the computer is and does right now: the hardware probe (NVML, psutil) and its scripted fakes, the sensor loop,
and the guard's pure decisions on the readings.
"""
